"""Load an ODM 1.3.2 file written by ``odm_export`` into an empty database, through the services.

Every row is written by ``audit.services.create`` (centres by ``sites.services.create_centre``)
as the importing data manager, with actions ``import.<what>.created`` and the reason naming
the file, so the new audit chain starts with the import and says where the data came from.
The stored values are taken as they are (they passed the edit checks when they were
entered; derived values and the computed dose come with them); patient endpoints are then
recomputed by the endpoint service. It all happens in one transaction: a refused file
leaves the database as it was.

Not imported (decision): queries, SDV marks and signatures, which belong to the source
system's workflow; the import's own audit chain replaces the source's trail, which travels
in the transfer package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import FORMS, FormRecord, Lesion, LesionMeasurement
from ramunet.edc.crfs.services import ENDPOINT_FORMS
from ramunet.edc.endpoints import services as endpoints
from ramunet.edc.exporting.catalogue import part_specs, spec_of
from ramunet.edc.exporting.permission import require_import
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites import services as sites
from ramunet.edc.sites.models import Centre
from ramunet.edc.visits.models import Visit
from ramunet.exports.catalogue import FormSpec, parse_value
from ramunet.exports.odm import read_odm
from ramunet.exports.odm_meta import STUDY_OID, group_oid, item_oid, missing_oid
from ramunet.exports.odm_model import FormData, ItemGroupData, SubjectData


@dataclass(frozen=True)
class ImportSummary:
    """What an import loaded."""

    centres: int
    patients: int
    forms: int
    sha256: str


def _values(spec: FormSpec, group: ItemGroupData) -> tuple[dict[str, Any], dict[str, str]]:
    by_oid = {item.item_oid: item.value for item in group.items}
    values: dict[str, Any] = {}
    missing: dict[str, str] = {}
    for field in spec.fields:
        oid = item_oid(spec.code, field.name)
        values[field.name] = parse_value(field, by_oid.get(oid))
        code = by_oid.get(missing_oid(spec.code, field.name))
        if code:
            missing[field.name] = code
    known = {item_oid(spec.code, f.name) for f in spec.fields}
    known |= {missing_oid(spec.code, f.name) for f in spec.fields}
    unknown = sorted(set(by_oid) - known)
    if unknown:
        raise InvalidInput(
            f"{group.item_group_oid} ItemData", "not in the study metadata", unknown[0]
        )
    return values, missing


def _group(form: FormData, code: str) -> ItemGroupData:
    for group in form.item_groups:
        if group.item_group_oid == group_oid(code):
            return group
    raise InvalidInput(form.form_oid, f"has no {group_oid(code)} item group")


def _groups(form: FormData, code: str) -> Iterable[ItemGroupData]:
    return (g for g in form.item_groups if g.item_group_oid == group_oid(code))


_ENDPOINT_CODES = frozenset(model.FORM_CODE for model in ENDPOINT_FORMS)


def _baseline(form: FormData) -> bool:
    oid = item_oid("TUMOUR", "baseline")
    return any(i.item_oid == oid and i.value == "true" for g in form.item_groups for i in g.items)


class _Importer:
    def __init__(self, actor: Any, reason: str) -> None:
        self.actor = actor
        self.reason = reason
        self.forms = 0

    def create(self, obj: Any, what: str) -> Any:
        return audit.create(
            obj, actor=self.actor, action=f"import.{what}.created", reason=self.reason
        )

    def subject(self, subject: SubjectData, centres: dict[str, Centre]) -> Patient:
        if subject.site_oid not in centres:
            raise InvalidInput(
                f"SubjectData {subject.subject_key} SiteRef", "names no Location", subject.site_oid
            )
        centre = centres[subject.site_oid]
        common = [e for e in subject.events if e.repeat_key is None]
        record = next((f for e in common for f in e.forms if f.form_oid == "F.SUBJECT"), None)
        if record is None:
            raise InvalidInput(f"SubjectData {subject.subject_key}", "has no F.SUBJECT form")
        values, _ = _values(spec_of("SUBJECT"), _group(record, "SUBJECT"))
        locked = bool(values.pop("locked"))
        entry = self.create(
            ScreeningEntry(
                centre=centre,
                number=values["sequence"],
                screened_on=values["consent_date"],
                year_of_birth=values["year_of_birth"],
                sex=values["sex"],
                status=ScreeningEntry.Status.REGISTERED,
            ),
            "screening",
        )
        patient = self.create(
            Patient(
                code=subject.subject_key, centre=centre, screening=entry, locked=False, **values
            ),
            "patient",
        )
        visits: dict[str, Visit] = {}
        forms: list[tuple[FormData, Visit | None]] = []
        for event in subject.events:
            visit = None
            if event.repeat_key is not None:
                visit_form = next(f for f in event.forms if f.form_oid == "F.VISIT")
                values, _ = _values(spec_of("VISIT"), _group(visit_form, "VISIT"))
                visit = self.create(Visit(patient=patient, **values), "visit")
                visits[visit.code] = visit
            forms += [(f, visit) for f in event.forms if f.form_oid not in ("F.SUBJECT", "F.VISIT")]
        order = {f"F.{code}": n for n, code in enumerate(FORMS)}
        # biosamples before the results that name them; the tumour baseline (which declares
        # the lesions) before the follow-ups
        forms.sort(
            key=lambda pair: (order.get(pair[0].form_oid, len(order)), not _baseline(pair[0]))
        )
        samples: dict[str, Any] = {}
        for form, visit in forms:
            self.form(patient, form, visit, samples)
        # endpoints exist once an endpoint form was saved (``crfs.services.save_form``)
        if any(f.form_oid.removeprefix("F.") in _ENDPOINT_CODES for f, _ in forms):
            endpoints.recompute(patient, source="the ODM import")
        if locked:
            patient = audit.update(
                patient,
                {"locked": True},
                actor=self.actor,
                expected_version=patient.version,
                reason=self.reason,
                action="import.patient.locked",
            )
        return patient

    def form(
        self, patient: Patient, form: FormData, visit: Visit | None, samples: dict[str, Any]
    ) -> None:
        code = form.form_oid.removeprefix("F.")
        if code not in FORMS:
            raise InvalidInput("FormData FormOID", "not a form of the study", form.form_oid)
        spec = spec_of(code)
        values, missing = _values(spec, _group(form, code))
        if "sample" in values:
            key = values.pop("sample")
            if key not in samples:
                raise InvalidInput(f"{code} sample", "names no biosample of the patient", key)
            values["sample"] = samples[key]
        row: FormRecord = FORMS[code](patient=patient, visit=visit, missing=missing, **values)
        saved = self.create(row, f"crf.{code.lower()}")
        self.forms += 1
        if code == "BIOSAMPLE" and form.repeat_key is not None:
            samples[form.repeat_key] = saved
        if code == "TUMOUR":
            self.tumour(patient, form, saved)

    def tumour(self, patient: Patient, form: FormData, assessment: Any) -> None:
        lesion_spec, measure_spec = part_specs()["TUMOUR"]
        for group in _groups(form, lesion_spec.code):
            values, _ = _values(lesion_spec, group)
            self.create(Lesion(patient=patient, **values), "lesion")
        lesions = {lesion.label: lesion for lesion in Lesion.objects.filter(patient=patient)}
        for group in _groups(form, measure_spec.code):
            values, _ = _values(measure_spec, group)
            label = values.pop("lesion")
            if label not in lesions:
                raise InvalidInput(f"{measure_spec.code} lesion", "names no declared lesion", label)
            self.create(
                LesionMeasurement(assessment=assessment, lesion=lesions[label], **values),
                "measurement",
            )


def import_odm(actor: Any, data: bytes, *, source: str = "ODM file") -> ImportSummary:
    """Load ``data`` (an ODM file of ours) into this empty database as ``actor``.

    Raises
    ------
    PermissionRefused
        ``actor`` is not a data manager.
    WorkflowError
        The database holds patients already, or is locked.
    InvalidInput
        The file is not ODM of this study, or names a form, item or site it does not define.
    """
    require_import(actor)
    digest = hashlib.sha256(data).hexdigest()
    meta, clinical = read_odm(data)
    if meta.oid != STUDY_OID:
        raise InvalidInput("ODM Study OID", f"not this study's ({STUDY_OID})", meta.oid)
    reason = f"imported from {source} (sha256 {digest[:16]})"
    with transaction.atomic():
        if audit.database_locked():
            raise WorkflowError("the database is locked; an import needs an open, empty database")
        if Patient.objects.exists():
            raise WorkflowError("the database holds patients already; import into an empty one")
        importer = _Importer(actor, reason)
        centres: dict[str, Centre] = {}
        for location in clinical.admin.locations if clinical.admin else ():
            code = location.oid.removeprefix("LOC.")
            centre = Centre.objects.filter(code=code).first() or sites.create_centre(
                actor,
                code=code,
                name=location.name,
                activated_on=location.mdv_refs[0].effective_date,
            )
            centres[location.oid] = centre
        for subject in clinical.subjects:
            importer.subject(subject, centres)
    return ImportSummary(len(centres), len(clinical.subjects), importer.forms, digest)
