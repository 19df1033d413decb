"""Tumour assessments by RECIST 1.1: the baseline with its lesions, the follow-ups with their
measurements, and the time-point response the system derives for each.

``save_baseline_assessment`` declares the lesions (validated by
``ramunet.clinical.recist.validate_baseline``: measurability, at most 5 targets and 2 per
organ); ``save_followup_assessment`` records one measurement per target lesion, the
non-target status and new lesions. After every save the patient's course is evaluated
(``ramunet.clinical.recist.evaluate``): each assessment's ``derived`` holds its sum, the change
from baseline and from the nadir and the target, non-target and overall responses; a
discrepancy is opened where the investigator's reported response differs from the computed
one. Every row is written through ``ramunet.edc.audit.services``.

References
----------
Eisenhauer EA et al. Eur J Cancer 2009;45:228-247 (RECIST 1.1), §3.1, §4.2-§4.4;
clinical-rules.md §1.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from ramunet.clinical import recist
from ramunet.clinical.errors import EditCheckFailed, InvalidInput, PermissionRefused
from ramunet.clinical.recist.baseline import diameter_tenths
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs import services as crf_services
from ramunet.edc.crfs.checks import Finding, run_checks
from ramunet.edc.crfs.models import Discrepancy, Lesion, LesionMeasurement, TumourAssessment
from ramunet.edc.crfs.tumour_course import (
    TOO_SMALL_WORDS,
    Course,
    MeasurementValue,
    baseline_derived,
    evaluate_course,
    load_course,
    recist_baseline,
    response_findings,
    shown_mm,
    timepoint_derived,
)
from ramunet.edc.endpoints import services as endpoints
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.visits.models import Visit

_TARGET_FIELD = re.compile(r"^baseline\.targets\[(\d+)\]")
_NON_TARGET_FIELD = re.compile(r"^baseline\.non_targets\[(\d+)\]")


@dataclass(frozen=True)
class TumourResult:
    """The saved assessment, its measurements and the discrepancies opened or closed."""

    assessment: TumourAssessment
    measurements: tuple[LesionMeasurement, ...]
    opened: tuple[Discrepancy, ...]
    closed: tuple[Discrepancy, ...]

    @property
    def overall_response(self) -> str | None:
        """The computed overall response (``None`` for a baseline)."""
        value = self.assessment.derived.get("overall")
        return None if value is None else str(value)


# -- checks at the edge --------------------------------------------------------------------


def _require_access(actor: Any, patient: Patient) -> None:
    if not isinstance(actor, str):
        access.require(actor, TumourAssessment.CAPABILITY, patient.centre_id)


def _checked_form(
    form: TumourAssessment, values: Mapping[str, Any], today: dt.date | None
) -> list[Finding]:
    """Field validation and the generic edit checks; hard ones raise, soft ones are returned."""
    crf_services.clean_form(form, values)
    context = crf_services.context_for(form.patient, TumourAssessment, today)
    findings = run_checks(form, context, adverse_events=[], lab_grades=[])
    hard = [f for f in findings if f.hard]
    if hard:
        raise EditCheckFailed(
            hard[0].field, hard[0].rule, hard[0].message, values.get(hard[0].field)
        )
    return findings


def _check_visit(patient: Patient, visit: Visit | None) -> None:
    if visit is not None and visit.patient_id != patient.pk:
        raise InvalidInput("visit", f"belongs to {visit.patient.code}, not {patient.code}")


def _check_baseline_date(patient: Patient, form_date: dt.date) -> None:
    first = patient.first_dose
    if first is not None and form_date > first:
        raise EditCheckFailed(
            "form_date",
            "tumour.baseline_after_first_dose",
            f"form_date {form_date}: the baseline scan must not be after the first dose {first}",
            form_date,
        )


def _check_followup_date(course: Course, form_date: dt.date, pk: int | None) -> None:
    assert course.baseline is not None
    if form_date <= course.baseline.form_date:
        raise InvalidInput(
            "form_date",
            f"must be after the baseline assessment {course.baseline.form_date}",
            form_date.isoformat(),
        )
    if any(row.form_date == form_date and row.pk != pk for row in course.followups):
        raise InvalidInput(
            "form_date", "another tumour assessment has this date", form_date.isoformat()
        )


def _checked_sizes(course: Course, measurements: Mapping[str, MeasurementValue]) -> None:
    labels = [lesion.label for lesion in course.targets]
    for label, value in measurements.items():
        if label not in labels:
            raise InvalidInput(
                "measurements",
                f"not a baseline target lesion; expected {', '.join(labels) or 'none'}",
                label,
            )
        if value is None or (isinstance(value, str) and value.strip().lower() in TOO_SMALL_WORDS):
            continue
        diameter_tenths(shown_mm(value), f"measurements[{label!r}]")


def _check_non_target(course: Course, non_target: str) -> None:
    if non_target and not any(not lesion.target for lesion in course.lesions):
        raise InvalidInput(
            "non_target", "the baseline recorded no non-target lesion; leave it empty", non_target
        )


def _lesion_error(
    error: InvalidInput, target_index: list[int], other_index: list[int]
) -> InvalidInput:
    """Name the position in the caller's ``lesions`` list instead of RECIST's target list."""
    field = error.field
    for pattern, positions in ((_TARGET_FIELD, target_index), (_NON_TARGET_FIELD, other_index)):
        match = pattern.match(field)
        if match and int(match.group(1)) < len(positions):
            field = f"lesions[{positions[int(match.group(1))]}]{field[match.end() :]}"
            break
    return InvalidInput(field, error.rule, error.value)


# -- measurements --------------------------------------------------------------------------


def _measurement_values(value: MeasurementValue) -> dict[str, Any]:
    if value is None:
        return {"diameter_mm": None, "too_small": False, "not_assessed": True}
    if isinstance(value, str) and value.strip().lower() in TOO_SMALL_WORDS:
        return {"diameter_mm": None, "too_small": True, "not_assessed": False}
    return {"diameter_mm": Decimal(str(value)), "too_small": False, "not_assessed": False}


def _write_measurements(
    actor: Any,
    row: TumourAssessment,
    course: Course,
    sizes: Mapping[str, MeasurementValue],
    lesions: Sequence[Lesion],
    reason: str = "",
) -> tuple[LesionMeasurement, ...]:
    written = []
    for lesion in lesions:
        if lesion.label not in sizes:
            continue
        values = _measurement_values(sizes[lesion.label])
        stored = course.measurements.get((row.pk, lesion.pk))
        if stored is None:
            written.append(
                audit.create(
                    LesionMeasurement(assessment=row, lesion=lesion, **values),
                    actor=actor,
                    action="crf.tumour.measured",
                )
            )
        else:
            written.append(
                audit.update(
                    stored,
                    values,
                    actor=actor,
                    expected_version=stored.version,
                    reason=reason,
                    action="crf.tumour.measurement_updated",
                )
            )
    return tuple(written)


def _refresh_course(patient: Patient, source: str) -> None:
    """Re-derive every follow-up of the patient (a change may move the nadir) and re-check the
    investigator's responses; rows whose derivation is unchanged are not written."""
    course = load_course(patient)
    if course.baseline is None or not course.followups:
        return
    result, rows = evaluate_course(patient, course)
    for row, point in zip(rows, result.timepoints, strict=True):
        derived = timepoint_derived(point, result.baseline.baseline.date)
        if derived != row.derived:
            row = audit.update(
                row, {"derived": derived}, actor="system", expected_version=row.version,
                reason=f"recomputed from {source}", action="crf.tumour.rederived",
            )  # fmt: skip
            crf_services.sync_discrepancies("system", row, response_findings(row))


def _after_save(
    actor: Any, row: TumourAssessment, soft: list[Finding], new: bool, source: str
) -> tuple[tuple[Discrepancy, ...], tuple[Discrepancy, ...]]:
    opened, closed = crf_services.sync_discrepancies(
        actor, row, soft + response_findings(row), new=new
    )
    _refresh_course(row.patient, source)
    endpoints.recompute(row.patient, source=source)
    return opened, closed


# -- services ------------------------------------------------------------------------------


@transaction.atomic
def save_baseline_assessment(
    actor: Any,
    patient: Patient,
    *,
    form_date: dt.date,
    method: str,
    lesions: Sequence[Mapping[str, Any]],
    visit: Visit | None = None,
    crf_page: str = "",
    today: dt.date | None = None,
) -> TumourResult:
    """Create the baseline assessment with its lesions and their baseline sizes.

    ``lesions``: dicts with ``label``, ``target`` (bool), ``organ``, ``nodal`` (bool, default
    False), ``location`` (optional) and ``diameter_mm`` (longest diameter; a node's short
    axis; required for a target). Raises ``InvalidInput`` naming ``lesions[i]`` and the RECIST
    rule broken (RECIST 1.1 §3.1 measurability, §4.2 at most 5 targets and 2 per organ).
    """
    _require_access(actor, patient)
    _check_visit(patient, visit)
    if TumourAssessment.objects.filter(patient=patient, baseline=True).exists():
        raise InvalidInput(
            "baseline", f"{patient.code} has a baseline tumour assessment already; change that one"
        )
    form = TumourAssessment(
        patient=patient, visit=visit, form_date=form_date, method=method, baseline=True,
        crf_page=crf_page,
    )  # fmt: skip
    values = {"form_date": form_date, "method": method}
    soft = _checked_form(form, values, today)
    _check_baseline_date(patient, form_date)
    rows, sizes = [], {}
    for index, spec in enumerate(lesions):
        label = str(spec.get("label", "")).strip()
        if not label:
            raise InvalidInput(f"lesions[{index}].label", "required (T1..T5, N1..)")
        rows.append(
            Lesion(
                patient=patient,
                label=label,
                target=bool(spec.get("target")),
                organ=str(spec.get("organ", "")),
                nodal=bool(spec.get("nodal", False)),
                location=str(spec.get("location", "")),
            )
        )
        sizes[label] = spec.get("diameter_mm")
    target_index = [i for i, row in enumerate(rows) if row.target]
    other_index = [i for i, row in enumerate(rows) if not row.target]
    try:
        summary = recist.validate_baseline(recist_baseline(form, rows, sizes))
    except InvalidInput as error:
        raise _lesion_error(error, target_index, other_index) from None
    form.derived = baseline_derived(summary, [rows[i].label for i in other_index])
    saved = audit.create(form, actor=actor, action="crf.tumour.created", validated=True)
    stored = [audit.create(row, actor=actor, action="crf.tumour.lesion_declared") for row in rows]
    course = Course(saved, (), tuple(stored), {})
    measured = {label: value for label, value in sizes.items() if value is not None}
    written = _write_measurements(actor, saved, course, measured, stored)
    opened, closed = _after_save(actor, saved, soft, True, f"TUMOUR form #{saved.pk} created")
    return TumourResult(saved, written, opened, closed)


@transaction.atomic
def update_baseline_assessment(
    actor: Any,
    assessment: TumourAssessment,
    *,
    expected_version: int,
    reason: str,
    values: Mapping[str, Any] | None = None,
    diameters: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> TumourResult:
    """Change the baseline's fields (``form_date``, ``method``, ``crf_page``) or the baseline
    size of declared lesions (``diameters``: label -> mm). Lesions are not added or removed
    once declared (the follow-ups measure them)."""
    patient = assessment.patient
    _require_access(actor, patient)
    values = dict(values or {})
    for key in values:
        if key not in ("form_date", "method", "crf_page", "missing"):
            raise InvalidInput(
                key,
                "not a changeable field of the baseline; "
                "expected crf_page, form_date, method, missing",
            )
    course = load_course(patient)
    current = course.baseline
    if current is None or current.pk != assessment.pk:
        raise InvalidInput("assessment", "is not the patient's baseline assessment")
    form = TumourAssessment.objects.select_related("patient__centre").get(pk=current.pk)
    for key, value in values.items():
        setattr(form, key, value)
    soft = _checked_form(form, values, today)
    _check_baseline_date(patient, form.form_date)
    labels = {lesion.label for lesion in course.lesions}
    for label in diameters or {}:
        if label not in labels:
            raise InvalidInput(
                "diameters", f"not a declared lesion; expected {', '.join(sorted(labels))}", label
            )
    sizes = {
        lesion.label: getattr(course.measurements.get((current.pk, lesion.pk)), "diameter_mm", None)
        for lesion in course.lesions
    } | dict(diameters or {})
    target_index = [i for i, row in enumerate(course.lesions) if row.target]
    other_index = [i for i, row in enumerate(course.lesions) if not row.target]
    try:
        summary = recist.validate_baseline(recist_baseline(form, course.lesions, sizes))
    except InvalidInput as error:
        raise _lesion_error(error, target_index, other_index) from None
    if course.followups and form.form_date >= course.followups[0].form_date:
        raise InvalidInput(
            "form_date",
            f"must be before the first follow-up {course.followups[0].form_date}",
            form.form_date,
        )
    derived = baseline_derived(summary, [course.lesions[i].label for i in other_index])
    saved = audit.update(
        current, values | {"derived": derived}, actor=actor, expected_version=expected_version,
        reason=reason, action="crf.tumour.updated",
    )  # fmt: skip
    changed = {label: value for label, value in (diameters or {}).items()}
    written = _write_measurements(actor, saved, course, changed, course.lesions, reason)
    source = f"TUMOUR form #{saved.pk} changed"
    opened, closed = _after_save(actor, saved, soft, False, source)
    return TumourResult(saved, written, opened, closed)


@transaction.atomic
def save_followup_assessment(
    actor: Any,
    patient: Patient,
    *,
    form_date: dt.date,
    measurements: Mapping[str, MeasurementValue],
    non_target: str = "",
    new_lesions: str = "none",
    investigator_response: str = "",
    method: str = "ct",
    equivocal_confirmed_from: dt.date | None = None,
    visit: Visit | None = None,
    crf_page: str = "",
    today: dt.date | None = None,
) -> TumourResult:
    """Record a follow-up: ``measurements`` per baseline target label (mm, ``"too small"``
    or ``None`` = not assessed; a target left out is not assessed), the non-target status,
    new lesions and the investigator's response; derive the time-point response."""
    _require_access(actor, patient)
    _check_visit(patient, visit)
    course = load_course(patient)
    if course.baseline is None:
        raise InvalidInput(
            "baseline", f"{patient.code} has no baseline tumour assessment; enter it first"
        )
    form = TumourAssessment(
        patient=patient, visit=visit, form_date=form_date, method=method, non_target=non_target,
        new_lesions=new_lesions, investigator_response=investigator_response,
        equivocal_confirmed_from=equivocal_confirmed_from, crf_page=crf_page,
    )  # fmt: skip
    values = {
        "form_date": form_date,
        "method": method,
        "non_target": non_target,
        "new_lesions": new_lesions,
        "investigator_response": investigator_response,
    }
    soft = _checked_form(form, values, today)
    _check_followup_date(course, form_date, None)
    _checked_sizes(course, measurements)
    _check_non_target(course, non_target)
    sizes = {lesion.label: measurements.get(lesion.label) for lesion in course.targets}
    result, rows = evaluate_course(patient, course, replace=form, sizes=sizes)
    point = result.timepoints[rows.index(form)]
    form.derived = timepoint_derived(point, result.baseline.baseline.date)
    saved = audit.create(form, actor=actor, action="crf.tumour.created", validated=True)
    written = _write_measurements(actor, saved, course, sizes, course.targets)
    opened, closed = _after_save(actor, saved, soft, True, f"TUMOUR form #{saved.pk} created")
    return TumourResult(saved, written, opened, closed)


FOLLOWUP_FIELDS = frozenset(
    {"form_date", "method", "non_target", "new_lesions", "investigator_response",
     "equivocal_confirmed_from", "crf_page", "missing"}
)  # fmt: skip


@transaction.atomic
def update_followup_assessment(
    actor: Any,
    assessment: TumourAssessment,
    *,
    expected_version: int,
    reason: str,
    values: Mapping[str, Any] | None = None,
    measurements: Mapping[str, MeasurementValue] | None = None,
    today: dt.date | None = None,
) -> TumourResult:
    """Change a follow-up's fields and/or some of its measurements (label -> new value)."""
    patient = assessment.patient
    _require_access(actor, patient)
    values = dict(values or {})
    for key in values:
        if key not in FOLLOWUP_FIELDS:
            raise InvalidInput(
                key,
                "not a changeable field of a follow-up; "
                f"expected {', '.join(sorted(FOLLOWUP_FIELDS))}",
            )
    if assessment.baseline:
        raise InvalidInput("assessment", "is the baseline; use update_baseline_assessment")
    course = load_course(patient)
    stored = next((row for row in course.followups if row.pk == assessment.pk), None)
    if stored is None:
        raise PermissionRefused(f"the assessment belongs to another patient than {patient.code}")
    form = TumourAssessment.objects.select_related("patient__centre").get(pk=stored.pk)
    for key, value in values.items():
        setattr(form, key, value)
    soft = _checked_form(form, values, today)
    _check_followup_date(course, form.form_date, form.pk)
    _checked_sizes(course, measurements or {})
    _check_non_target(course, form.non_target)
    sizes = course.target_mm(stored) | dict(measurements or {})
    result, rows = evaluate_course(patient, course, replace=form, sizes=sizes)
    point = result.timepoints[rows.index(form)]
    derived = timepoint_derived(point, result.baseline.baseline.date)
    saved = audit.update(
        stored, values | {"derived": derived}, actor=actor, expected_version=expected_version,
        reason=reason, action="crf.tumour.updated",
    )  # fmt: skip
    written = _write_measurements(
        actor, saved, course, dict(measurements or {}), course.targets, reason
    )
    opened, closed = _after_save(actor, saved, soft, False, f"TUMOUR form #{saved.pk} changed")
    return TumourResult(saved, written, opened, closed)
