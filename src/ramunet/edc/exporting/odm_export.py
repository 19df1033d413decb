"""The trial as CDISC ODM 1.3.2: metadata from the eCRF models, clinical data of every patient.

``SubjectKey`` is the pseudonymous patient ID (``HAL-003``); ``SiteRef`` names the centre's
Location. A visit is a ``SE.VISIT`` event with the visit code as repeat key; forms without a
visit (adverse events, medications) sit in ``SE.EVENTS``; every form occurrence has its
source row id as ``FormRepeatKey``, which the translational results' sample reference uses.
With ``audit=True`` each form carries the AuditRecord of its last change (who, where, when,
why, and the audit sequence number as SourceID) and each patient the Signature of the last
casebook signature.

The document is streamed: Study and AdminData from ``odm_write.build_odm``, then one
SubjectData after another as text (``ramunet.exports.odm_stream``), built from one chunk of
patients at a time, so memory stays flat.

References
----------
CDISC, "ODM 1.3.2" §3.1.4 ClinicalData, §3.1.5.2 AuditRecord, §3.1.5.3 Signature.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone

from ramunet.edc.audit.models import AuditRecord as AuditRow
from ramunet.edc.crfs.models import FORMS
from ramunet.edc.exporting.catalogue import form_specs, part_specs, spec_of
from ramunet.edc.exporting.source import Chunk, Row, chunks
from ramunet.edc.exporting.trail import audit_rows
from ramunet.edc.review.models import Signature as SignatureRow
from ramunet.edc.sites.models import Centre
from ramunet.exports import odm_stream, odm_write
from ramunet.exports.odm_meta import (
    COMMON_EVENT,
    MDV_OID,
    STUDY_OID,
    VISIT_EVENT,
    build_study_meta,
    form_oid,
    group_oid,
    has_missing_item,
    item_oid,
    missing_oid,
)
from ramunet.exports.odm_model import (
    AdminData,
    ClinicalDataModel,
    Location,
    MetaDataVersionRef,
    SignatureDef,
    StudyMeta,
    User,
)

CASEBOOK_SIGNATURE = "SD.CASEBOOK"
SINGLE_FORMS = ("SUBJECT", "VISIT")


def user_oid(name: str) -> str:
    return f"USR.{name}"


def location_oid(centre_code: str) -> str:
    return f"LOC.{centre_code}"


@functools.cache
def study_meta() -> StudyMeta:
    """The study metadata; forms other than SUBJECT and VISIT repeat (adverse events and
    other forms without a visit occur many times in ``SE.EVENTS``)."""
    forms = [
        spec if spec.code in SINGLE_FORMS else dataclasses.replace(spec, repeating=True)
        for spec in form_specs()
    ]
    return build_study_meta(forms, part_specs(), mdv_description="generated from the eCRF models")


def admin_data(*, audit: bool) -> AdminData:
    """Every centre as a Location; with ``audit``, every person named in the trail as a User."""
    locations = tuple(
        Location(
            location_oid(code),
            name,
            (MetaDataVersionRef(STUDY_OID, MDV_OID, activated or dt.date(2019, 6, 1)),),
            "Site",
        )
        for code, name, activated in Centre.objects.order_by("code").values_list(
            "code", "name", "activated_on"
        )
    )
    users: tuple[User, ...] = ()
    defs: tuple[SignatureDef, ...] = ()
    if audit:
        names = set(AuditRow.objects.values_list("actor", flat=True).distinct())
        names |= set(SignatureRow.objects.values_list("signer", flat=True).distinct())
        users = tuple(User(user_oid(n), login_name=n) for n in sorted(names))
        defs = (
            SignatureDef(
                CASEBOOK_SIGNATURE,
                "investigator's signature of the casebook",
                "21 CFR Part 11.50: the signer confirms the casebook is complete and correct",
                "Electronic",
            ),
        )
    return AdminData(users, locations, defs)


@functools.cache
def _plan(code: str) -> tuple[tuple[str, Callable[[object], str | None], str, str | None], ...]:
    """Per field of a form: the row key, the writer of its ItemData (``item_writer``), the
    field's name and its missing-code item OID."""
    spec = spec_of(code)
    return tuple(
        (
            f"{field.name}_id" if field.kind == "reference" else field.name,
            odm_stream.item_writer(field, item_oid(code, field.name)),
            field.name,
            missing_oid(code, field.name) if has_missing_item(field) else None,
        )
        for field in spec.fields
    )


def _items(code: str, row: Row) -> list[str]:
    items = []
    missing = row.get("missing") or {}
    for key, write, name, missing_item in _plan(code):
        value = row.get(key)
        if value is not None:
            written = write(value)
            if written is not None:
                items.append(written)
        if missing_item is not None and missing:
            reason = missing.get(name)
            if reason:
                items.append(odm_stream.item(missing_item, str(reason)))
    return items


@dataclass(frozen=True)
class _Context:
    chunk: Chunk
    audit: dict[tuple[str, str], str] | None
    signatures: dict[str, str]


def _form(code: str, row: Row, patient: Row, context: _Context) -> str:
    groups = [odm_stream.item_group(group_oid(code), _items(code, row))]
    if code == "TUMOUR":
        lesion_spec, measure_spec = part_specs()["TUMOUR"]
        if row.get("baseline"):
            groups += [
                odm_stream.item_group(
                    group_oid(lesion_spec.code), _items(lesion_spec.code, lesion), lesion["label"]
                )
                for lesion in context.chunk.lesions.get(patient["pk"], [])
            ]
        for measure in context.chunk.measurements.get(row["pk"], []):
            values = measure | {"lesion_id": measure["lesion__label"]}
            groups.append(
                odm_stream.item_group(
                    group_oid(measure_spec.code),
                    _items(measure_spec.code, values),
                    measure["lesion__label"],
                )
            )
    audit = ""
    if context.audit is not None:
        audit = context.audit.get((_LABELS[code], str(row["pk"])), "")
    return odm_stream.form(form_oid(code), groups, str(row["pk"]), audit)


_LABELS = {code: model._meta.label for code, model in FORMS.items()}


def subject_xml(patient: Row, context: _Context) -> str:
    """One patient: the registration record, visits with their forms, the other forms."""
    pk = patient["pk"]
    by_visit: dict[int | None, list[str]] = {}
    for code in FORMS:
        for row in context.chunk.rows(code, pk):
            by_visit.setdefault(row["visit_id"], []).append(_form(code, row, patient, context))
    subject_form = odm_stream.form(
        form_oid("SUBJECT"),
        [odm_stream.item_group(group_oid("SUBJECT"), _items("SUBJECT", patient))],
    )
    events = [odm_stream.event(COMMON_EVENT, [subject_form, *by_visit.get(None, [])])]
    for visit in context.chunk.visits.get(pk, []):
        visit_form = odm_stream.form(
            form_oid("VISIT"), [odm_stream.item_group(group_oid("VISIT"), _items("VISIT", visit))]
        )
        forms = [visit_form, *by_visit.get(visit["pk"], [])]
        events.append(odm_stream.event(VISIT_EVENT, forms, visit["code"]))
    return odm_stream.subject(
        patient["code"],
        events,
        location_oid(patient["centre__code"]),
        context.signatures.get(patient["code"], ""),
    )


def _audit_index(chunk: Chunk) -> dict[tuple[str, str], str]:
    """The last audit record (as ODM text) of every row of the chunk's patients."""
    last: dict[tuple[str, str], tuple[Any, ...]] = {}
    codes = {p["code"]: p["centre__code"] for p in chunk.patients}
    for model, pk, seq, actor, at, reason, patient in audit_rows(
        ("model", "object_pk", "seq", "actor", "at", "reason", "patient"), codes
    ):
        last[(model, pk)] = (seq, actor, at, reason, patient)
    return {
        key: odm_stream.audit_record(
            user_oid(actor), location_oid(codes[patient]), at, reason or None, f"audit #{seq}"
        )
        for key, (seq, actor, at, reason, patient) in last.items()
    }


def _signatures(chunk: Chunk) -> dict[str, str]:
    found: dict[str, str] = {}
    centre = {p["pk"]: (p["code"], p["centre__code"]) for p in chunk.patients}
    for patient_id, signer, at in (
        SignatureRow.objects.filter(patient_id__in=list(centre))
        .order_by("signed_at", "pk")
        .values_list("patient_id", "signer", "signed_at")
    ):
        code, site = centre[patient_id]
        found[code] = odm_stream.signature(
            user_oid(signer), location_oid(site), CASEBOOK_SIGNATURE, at
        )
    return found


@dataclass(frozen=True)
class OdmSummary:
    """What an ODM export wrote."""

    subjects: int
    audit: bool


def write_odm(
    out: IO[bytes],
    *,
    audit: bool = False,
    created: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> OdmSummary:
    """Stream the whole trial as one ODM 1.3.2 Snapshot file into ``out``.

    The caller checks the permission (``permission.require_export``). ``progress`` is called
    with the number of patients written after each chunk.
    """
    created = created or timezone.now()
    meta = study_meta()
    admin = admin_data(audit=audit)
    head = odm_write.build_odm(
        meta,
        ClinicalDataModel(STUDY_OID, MDV_OID, (), admin),
        file_oid=f"RAMUNET.{created:%Y%m%dT%H%M%S}",
        created=created,
        originator="ramunet",
        source_system="ramunet EDC",
    )

    def subjects() -> Iterator[str]:
        written = 0
        for chunk in chunks(extras=("visits", "lesions", "measurements"), json_text=True):
            context = _Context(
                chunk,
                _audit_index(chunk) if audit else None,
                _signatures(chunk) if audit else {},
            )
            for patient in chunk.patients:
                yield subject_xml(patient, context)
            written += len(chunk.patients)
            if progress is not None:
                progress(written)

    written = odm_stream.stream_document(out, head, STUDY_OID, MDV_OID, subjects())
    return OdmSummary(written, audit)
