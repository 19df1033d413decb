"""Saving an eCRF: permission, validation, derivation, edit checks, audit, discrepancies.

``save_form`` is the one way a form row is created or changed (web, API, admin, simulator,
command line). In one transaction it checks the person's role and centre, refuses values that
break a hard edit check (naming the field and the rule), derives the form's values, writes
the row and its audit record, and opens or closes the form's discrepancies.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from ramunet.clinical.errors import EditCheckFailed, InvalidInput, PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.compiled import CompiledQuery
from ramunet.edc.crfs.checks import Finding, run_checks
from ramunet.edc.crfs.derive import (
    BASELINE_ANALYTES,
    LAB_FIELDS,
    RANGE_FIELDS,
    FormContext,
    Range,
    derive,
)
from ramunet.edc.crfs.models import (
    AdverseEvent,
    Chemistry,
    ChromograninA,
    Death,
    Discrepancy,
    EndOfStudy,
    EndOfTreatment,
    Exposure,
    FollowUp,
    FormRecord,
    Haematology,
    QlqC30,
    TumourAssessment,
    VitalSigns,
)
from ramunet.edc.endpoints import services as endpoints
from ramunet.edc.queries import services as queries
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.models import ReferenceRange
from ramunet.edc.visits.models import Visit

F = TypeVar("F", bound=FormRecord)

SYSTEM_FIELDS = frozenset({"id", "version", "patient", "patient_id", "derived", "frozen"})

# forms whose change may change a patient-level endpoint (``ramunet.edc.endpoints``)
ENDPOINT_FORMS: tuple[type[FormRecord], ...] = (
    TumourAssessment,
    Exposure,
    Death,
    FollowUp,
    EndOfTreatment,
    EndOfStudy,
    ChromograninA,
    QlqC30,
)


@dataclass(frozen=True)
class SaveResult:
    """The saved form and what its edit checks left open or closed."""

    form: FormRecord
    opened: tuple[Discrepancy, ...]
    closed: tuple[Discrepancy, ...]

    @property
    def open_findings(self) -> tuple[str, ...]:
        return tuple(d.message for d in self.opened)


@functools.cache
def _editable_fields(model: type[FormRecord]) -> frozenset[str]:
    # a model's fields do not change while the process runs
    return frozenset(f.name for f in model._meta.concrete_fields if f.editable) - SYSTEM_FIELDS


def _check_keys(model: type[FormRecord], values: Mapping[str, Any]) -> None:
    allowed = _editable_fields(model)
    for key in values:
        if key not in allowed:
            raise InvalidInput(
                key,
                f"not a field of the {model.FORM_CODE} form; expected {', '.join(sorted(allowed))}",
            )


def _baseline_form(patient: Patient, model: type[FormRecord], form: FormRecord | None) -> Any:
    """The patient's baseline CgA form of ``form``'s marker: the last on or before the first
    dose (without a first dose yet: the first one)."""
    if model is not ChromograninA or not isinstance(form, ChromograninA):
        return None
    rows = ChromograninA.objects.filter(patient=patient, marker=form.marker, value__isnull=False)
    if patient.first_dose is not None:
        before = rows.filter(form_date__lte=patient.first_dose).order_by("-form_date", "-pk")
        return before.first()
    return rows.order_by("form_date", "pk").first()


def clean_form(form: FormRecord, values: Mapping[str, Any]) -> None:
    """Django's field validation (types, choices, lengths); the first error as ``InvalidInput``."""
    try:
        form.full_clean(exclude=["patient", "visit"])
    except Exception as error:  # Django ValidationError: first field, its message
        messages = getattr(error, "message_dict", {"__all__": [str(error)]})
        name, text = next(iter(messages.items()))
        raise InvalidInput(name, "; ".join(text), values.get(name)) from None


@functools.cache
def _ranges_of(model: type[FormRecord]) -> CompiledQuery[ReferenceRange]:
    """A centre's reference ranges of ``model``'s analytes, compiled once per connection."""
    analytes = tuple(RANGE_FIELDS[model])
    return CompiledQuery(
        lambda centre_id, *names: (
            ReferenceRange.objects.filter(centre_id=centre_id)
            .filter(analyte__in=names)
            .order_by("valid_from", "pk")
            .values_list("analyte", "lln", "uln", "unit", "valid_from", "valid_to")
        ),
        0,
        *analytes,
    )


def context_for(
    patient: Patient,
    model: type[FormRecord],
    today: dt.date | None,
    form: FormRecord | None = None,
) -> FormContext:
    """The centre's reference ranges valid today, the patient's baseline lab values and, for
    a CgA form, the patient's baseline CgA form."""
    ranges: dict[str, Range] = {}
    baseline: dict[str, tuple[Any, str]] = {}
    if model in RANGE_FIELDS:
        day = today or timezone.localdate()
        # valid on the day: from on or before it, to on or after it (open: still valid);
        # of two, the later start wins
        rows = _ranges_of(model).rows(patient.centre_id, *RANGE_FIELDS[model])
        for analyte, lln, uln, unit, valid_from, valid_to in rows:
            if valid_from <= day and (valid_to is None or valid_to >= day):
                ranges[analyte] = Range(lln, uln, unit)
        needs_baseline = [n for n in LAB_FIELDS.get(model, ()) if n in BASELINE_ANALYTES]
        if needs_baseline:
            # the first form's values and units of those analytes only (not the whole row)
            units = [f"{name}_unit" for name in needs_baseline]
            first = (
                model.objects.filter(patient=patient)
                .order_by("form_date", "pk")
                .values_list(*needs_baseline, *units)
                .first()
            )
            if first is not None:
                for index, name in enumerate(needs_baseline):
                    if first[index] is not None:
                        baseline[name] = (first[index], first[len(needs_baseline) + index])
    return FormContext(
        ranges=ranges,
        baseline=baseline,
        today=today or timezone.localdate(),
        baseline_form=_baseline_form(patient, model, form),
    )


def _lab_grades(patient: Patient, start: dt.date, end: dt.date | None) -> list[dict[str, Any]]:
    grades: list[dict[str, Any]] = []
    for model in LAB_FIELDS:
        rows = model.objects.filter(patient=patient, form_date__gte=start)
        if end is not None:
            rows = rows.filter(form_date__lte=end)
        for row in rows.only("derived"):
            for name, entry in (row.derived or {}).items():
                if not name.startswith("_"):
                    grades += [g for g in entry.get("ctcae", []) if g.get("grade") is not None]
    for row in VitalSigns.objects.filter(patient=patient, form_date__gte=start).only("derived"):
        if "hypertension" in (row.derived or {}) and (end is None or row.form_date <= end):
            grades.append(row.derived["hypertension"])
    return grades


def _worst_lab_grade(form: FormRecord) -> int:
    return max(
        (v.get("worst_grade", 0) for k, v in (form.derived or {}).items() if k[0] != "_"),
        default=0,
    )


def _findings(form: FormRecord, context: FormContext) -> list[Finding]:
    # adverse events matter to a lab form only when one of its grades is 3 or worse
    lab = isinstance(form, Haematology | Chemistry)
    events = (
        list(AdverseEvent.objects.filter(patient_id=form.patient_id))
        if lab and _worst_lab_grade(form) >= 3
        else []
    )
    grades = (
        _lab_grades(form.patient, form.form_date, form.end_date)
        if isinstance(form, AdverseEvent)
        else []
    )
    return run_checks(form, context, adverse_events=events, lab_grades=grades)


def save_form(
    actor: Any,
    model: type[F],
    *,
    patient: Patient,
    values: Mapping[str, Any],
    visit: Visit | None = None,
    instance: F | None = None,
    expected_version: int | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> SaveResult:
    """Create (``instance`` None) or change a form of ``patient``.

    Raises ``PermissionRefused`` for a person without data entry at the patient's centre,
    ``InvalidInput`` naming the field for a hard edit check, ``ConflictError`` when someone
    saved the form since ``expected_version``, ``LockedError`` for a frozen or locked form.

    A new form is checked (permission, values, derivation, edit checks: reads only) before
    the write transaction opens, so that the transaction, which holds the database's write
    lock, lasts only for the writes; the once-per-visit rule is checked again inside it.
    A change is checked and written in one transaction.
    """
    if instance is not None:
        with transaction.atomic():
            form, findings = _checked_form(
                actor, model, patient, values, visit, instance, expected_version, today
            )
            return _store_form(
                actor, model, form, findings, patient, values, instance, expected_version,
                reason, today,
            )  # fmt: skip
    form, findings = _checked_form(actor, model, patient, values, visit, None, None, today)
    with transaction.atomic():
        _check_once_per_visit(form)
        return _store_form(actor, model, form, findings, patient, values, None, None, reason, today)


def _check_once_per_visit(form: FormRecord) -> None:
    """A form entered once per visit (``REPEATING`` False), or once per visit and key
    (``ONCE_PER_VISIT_BY``: one drug administration per drug and visit), is not entered
    twice."""
    model = type(form)
    keys = {name: getattr(form, name) for name in model.ONCE_PER_VISIT_BY}
    if form.visit_id is None or (model.REPEATING and not keys):
        return
    clash = model.objects.filter(patient_id=form.patient_id, visit_id=form.visit_id, **keys)
    if form.pk is not None:
        clash = clash.exclude(pk=form.pk)
    if clash.exists():
        which = "".join(f" with {name} {value}" for name, value in keys.items())
        raise InvalidInput(
            next(iter(keys), "visit"),
            f"{form.patient.code} has a {model.FORM_CODE} form for {form.visit.code}{which} "
            "already; change that form instead",
        )


def _checked_form(
    actor: Any,
    model: type[F],
    patient: Patient,
    values: Mapping[str, Any],
    visit: Visit | None,
    instance: F | None,
    expected_version: int | None,
    today: dt.date | None,
) -> tuple[FormRecord, list[Finding]]:
    """The form with its values and derived values, and its soft findings; raises for a
    refused person, a wrong value or a hard edit check (nothing is written)."""
    if not isinstance(actor, str):
        access.require(actor, model.CAPABILITY, patient.centre_id)
    if model.SERVICE:
        raise InvalidInput(
            "form",
            f"{model.FORM_CODE} forms are entered with their own service ({model.SERVICE}), "
            "which keeps their rows together",
        )
    _check_keys(model, values)
    if visit is not None and visit.patient_id != patient.pk:
        raise InvalidInput("visit", f"belongs to {visit.patient.code}, not {patient.code}")
    if instance is None:
        form = model(patient=patient, visit=visit, **values)
    else:
        if instance.patient_id != patient.pk:
            raise PermissionRefused(f"the form belongs to another patient than {patient.code}")
        if expected_version is None:
            raise InvalidInput("expected_version", "is required to change a saved form")
        form = model.objects.select_related("patient__centre").get(pk=instance.pk)
        for key, value in values.items():
            setattr(form, key, value)
    form.patient = patient
    _check_once_per_visit(form)
    clean_form(form, values)
    context = context_for(patient, model, today, form)
    form.derived = derive(form, context)
    findings = _findings(form, context)
    hard = [f for f in findings if f.hard]
    if hard:
        first = hard[0]
        raise EditCheckFailed(first.field, first.rule, first.message, values.get(first.field))
    return form, [f for f in findings if not f.hard]


def _store_form(
    actor: Any,
    model: type[FormRecord],
    form: FormRecord,
    findings: list[Finding],
    patient: Patient,
    values: Mapping[str, Any],
    instance: FormRecord | None,
    expected_version: int | None,
    reason: str,
    today: dt.date | None,
) -> SaveResult:
    """Write the checked form, its audit record and discrepancies (inside the transaction)."""
    if instance is None:
        # inside the caller's transaction, which every error leaves: no nested savepoint
        saved = audit.create_within(
            form, actor=actor, action=f"crf.{model.FORM_CODE.lower()}.created", validated=True
        )
    else:
        changes = {k: getattr(form, k) for k in values} | {"derived": form.derived}
        if hasattr(form, "computed_dose_mg"):
            changes["computed_dose_mg"] = form.computed_dose_mg
        saved = audit.update(
            instance,
            changes,
            actor=actor,
            expected_version=expected_version or 0,
            reason=reason,
            action=f"crf.{model.FORM_CODE.lower()}.updated",
        )
    opened, closed = _sync_discrepancies(actor, saved, findings, new=instance is None, nested=False)
    if isinstance(saved, AdverseEvent):
        recheck_labs(actor, patient, today)
    if isinstance(saved, ENDPOINT_FORMS) or endpoints.extends_last_contact(patient, saved):
        what = "created" if instance is None else "changed"
        endpoints.recompute(patient, source=f"{model.FORM_CODE} form #{saved.pk} {what}")
    return SaveResult(saved, opened, closed)


def sync_discrepancies(
    actor: Any, form: FormRecord, findings: list[Finding], *, new: bool = False
) -> tuple[tuple[Discrepancy, ...], tuple[Discrepancy, ...]]:
    """Open a discrepancy for each new soft finding; close those no longer raised."""
    return _sync_discrepancies(actor, form, findings, new=new, nested=True)


def _sync_discrepancies(
    actor: Any, form: FormRecord, findings: list[Finding], *, new: bool, nested: bool
) -> tuple[tuple[Discrepancy, ...], tuple[Discrepancy, ...]]:
    # nested=False: the caller's transaction.atomic is left by every error (save_form), so
    # the new discrepancies need no savepoint of their own
    create = audit.create if nested else audit.create_within
    label = form._meta.label
    current = (
        {}
        if new  # a form saved for the first time has no discrepancies yet
        else {
            (d.field, d.rule): d
            for d in Discrepancy.objects.filter(
                form_model=label, form_pk=form.pk, status=Discrepancy.Status.OPEN
            ).select_related("patient__centre")
        }
    )
    wanted = {(f.field, f.rule): f for f in findings}
    opened = tuple(
        create(
            Discrepancy(
                patient=form.patient,
                form_model=label,
                form_pk=form.pk,
                field=f.field,
                rule=f.rule,
                message=f.message,
            ),
            actor="system",
            action="crf.discrepancy.opened",
        )
        for key, f in wanted.items()
        if key not in current
    )
    closed = tuple(
        audit.update(
            d,
            {"status": Discrepancy.Status.CLOSED},
            actor="system",
            expected_version=d.version,
            reason="the data were corrected: the edit check no longer applies",
            action="crf.discrepancy.closed",
        )
        for key, d in current.items()
        if key not in wanted
    )
    # each finding is also an automatic query the centre can answer in a thread; it closes
    # itself when the data are corrected
    for d in opened:
        queries.open_automatic(
            d.patient,
            form_model=label,
            form_pk=form.pk,
            field=d.field,
            rule=d.rule,
            message=d.message,
        )
    for d in closed:
        queries.close_automatic(form_model=label, form_pk=form.pk, field=d.field, rule=d.rule)
    return opened, closed


def recheck_labs(actor: Any, patient: Patient, today: dt.date | None = None) -> None:
    """Re-run the lab forms' checks (an adverse event may answer a grade 3 finding)."""
    for model in LAB_FIELDS:
        context = context_for(patient, model, today)
        for form in model.objects.filter(patient=patient).select_related("patient__centre"):
            sync_discrepancies(actor, form, [f for f in _findings(form, context) if not f.hard])
