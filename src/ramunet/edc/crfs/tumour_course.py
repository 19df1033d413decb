"""A patient's RECIST 1.1 course as stored (baseline, follow-ups, lesions, measurements), its
conversion to ``ramunet.clinical.recist`` inputs, its evaluation and the ``derived`` values of
each assessment. Read by the tumour services (``ramunet.edc.crfs.tumour``) and the endpoints.

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

from ramunet.clinical import recist
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.crfs.checks import Finding
from ramunet.edc.crfs.derive import provenance
from ramunet.edc.crfs.models import Lesion, LesionMeasurement, TumourAssessment
from ramunet.edc.screening.models import Patient

TOO_SMALL_WORDS = frozenset({"too small", recist.TOO_SMALL_TO_MEASURE.value})
MeasurementValue = Decimal | int | str | None
RECIST_RULE = "RECIST 1.1 (Eisenhauer et al. 2009) §4.3-§4.4, Tables 1-2"
_FOLLOWUP_FIELD = re.compile(r"^followups\[\d+\]\.")


@dataclass(frozen=True)
class Course:
    """A patient's stored assessments: baseline, follow-ups in date order, lesions, sizes."""

    baseline: TumourAssessment | None
    followups: tuple[TumourAssessment, ...]
    lesions: tuple[Lesion, ...]
    measurements: dict[tuple[int, int], LesionMeasurement]  # (assessment pk, lesion pk)

    @property
    def targets(self) -> tuple[Lesion, ...]:
        return tuple(lesion for lesion in self.lesions if lesion.target)

    def target_mm(self, row: TumourAssessment) -> dict[str, MeasurementValue]:
        """The stored size of every target lesion at ``row`` (``None`` = not assessed)."""
        sizes: dict[str, MeasurementValue] = {}
        for lesion in self.targets:
            found = self.measurements.get((row.pk, lesion.pk))
            if found is None or found.not_assessed:
                sizes[lesion.label] = None
            elif found.too_small:
                sizes[lesion.label] = "too small"
            else:
                sizes[lesion.label] = found.diameter_mm
        return sizes


def load_course(patient: Patient) -> Course:
    """Read the patient's tumour assessments, lesions and measurements (three queries)."""
    rows = list(
        TumourAssessment.objects.filter(patient=patient)
        .select_related("patient__centre")
        .order_by("form_date", "pk")
    )
    baseline = next((row for row in rows if row.baseline), None)
    followups = tuple(row for row in rows if not row.baseline)
    lesions = tuple(Lesion.objects.filter(patient=patient).order_by("pk"))
    measured = LesionMeasurement.objects.filter(assessment__patient=patient)
    return Course(
        baseline,
        followups,
        lesions,
        {(m.assessment_id, m.lesion_id): m for m in measured},
    )


def _recist_size(value: MeasurementValue) -> Any:
    if isinstance(value, str) and value.strip().lower() in TOO_SMALL_WORDS:
        return recist.TOO_SMALL_TO_MEASURE
    return value


def shown_mm(value: Any) -> Any:
    """A Decimal diameter as text, so that an error repeats it as entered ('9.9')."""
    return str(value) if isinstance(value, Decimal) else value


def recist_baseline(
    row: TumourAssessment, lesions: Sequence[Lesion], sizes: Mapping[str, Any]
) -> recist.Baseline:
    """The baseline as ``ramunet.clinical.recist`` takes it."""
    targets = tuple(
        recist.Lesion(
            lesion_id=lesion.label,
            organ=lesion.organ,
            nodal=lesion.nodal,
            longest_diameter_mm=None if lesion.nodal else shown_mm(sizes.get(lesion.label)),
            short_axis_mm=shown_mm(sizes.get(lesion.label)) if lesion.nodal else None,
            method=row.method,
        )
        for lesion in lesions
        if lesion.target
    )
    others = tuple(
        recist.NonTargetLesion(lesion.label, lesion.organ, lesion.nodal)
        for lesion in lesions
        if not lesion.target
    )
    return recist.Baseline(row.form_date, targets, others)


def recist_followup(row: TumourAssessment, sizes: Mapping[str, MeasurementValue]) -> Any:
    """One follow-up as ``ramunet.clinical.recist`` takes it."""
    return recist.Assessment(
        date=row.form_date,
        target_mm={label: _recist_size(value) for label, value in sizes.items()},
        non_target=recist.NonTargetStatus(row.non_target) if row.non_target else None,
        new_lesions=recist.NewLesions(row.new_lesions),
        equivocal_confirmed_from=row.equivocal_confirmed_from,
    )


def evaluation_start(patient: Patient, baseline_date: dt.date) -> dt.date:
    """The first dose, or the baseline date while there is none (days then count from it)."""
    first = patient.first_dose
    return first if first is not None and first >= baseline_date else baseline_date


def evaluate_course(
    patient: Patient,
    course: Course,
    *,
    replace: TumourAssessment | None = None,
    sizes: Mapping[str, MeasurementValue] | None = None,
    baseline_sizes: Mapping[str, Any] | None = None,
) -> tuple[recist.RecistResult, list[TumourAssessment]]:
    """Evaluate the stored course, with ``replace`` (new or changed, with ``sizes``) in it.

    Returns the result and the follow-up rows in the order of its time points.
    """
    base_row = course.baseline
    if replace is not None and replace.baseline:
        base_row = replace
    assert base_row is not None
    stored_base = {
        lesion.label: getattr(
            course.measurements.get((base_row.pk, lesion.pk)), "diameter_mm", None
        )
        for lesion in course.lesions
    }
    baseline = recist_baseline(base_row, course.lesions, baseline_sizes or stored_base)
    rows = [row for row in course.followups if replace is None or row.pk != replace.pk]
    if replace is not None and not replace.baseline:
        rows.append(replace)
    rows.sort(key=lambda row: row.form_date)
    followups = [
        recist_followup(
            row, sizes if row is replace and sizes is not None else course.target_mm(row)
        )
        for row in rows
    ]
    try:
        result = recist.evaluate(
            baseline, followups, first_dose=evaluation_start(patient, base_row.form_date)
        )
    except InvalidInput as error:  # name the form's field, not the position in the course
        field = _FOLLOWUP_FIELD.sub("", error.field).replace("target_mm", "measurements")
        raise InvalidInput(field, error.rule, error.value) from None
    return result, rows


def timepoint_derived(point: recist.TimepointResult, baseline_date: dt.date) -> dict[str, Any]:
    """The ``derived`` of a follow-up assessment, JSON-ready (depends on this and earlier
    assessments only, so a later one leaves it unchanged)."""
    values = {
        "day": point.day,
        "sum_diameters_mm": point.sum_diameters_mm,
        "sum_complete": point.sum_complete,
        "baseline_sum_mm": Decimal(point.baseline_tenth_mm).scaleb(-1),
        "nadir_mm": point.nadir_mm,
        "change_from_baseline_pct": point.change_from_baseline_pct,
        "change_from_nadir_pct": point.change_from_nadir_pct,
        "target": point.target.value,
        "non_target": point.non_target.value,
        "new_lesions": point.new_lesions.value,
        "overall": point.overall.value,
        "backdated_progression": point.backdated_progression,
        "_provenance": provenance(RECIST_RULE, {"baseline_date": baseline_date}),
    }
    result: dict[str, Any] = jsonable(values)
    return result


def baseline_derived(summary: recist.BaselineSummary, non_targets: Sequence[str]) -> dict[str, Any]:
    values = {
        "sum_diameters_mm": summary.sum_diameters_mm,
        "targets": list(summary.target_ids),
        "non_targets": list(non_targets),
        "_provenance": provenance("RECIST 1.1 (Eisenhauer et al. 2009) §3.1, §4.2", {}),
    }
    result: dict[str, Any] = jsonable(values)
    return result


def response_findings(row: TumourAssessment) -> list[Finding]:
    """A soft finding when the investigator's response differs from the computed one."""
    computed = (row.derived or {}).get("overall")
    reported = row.investigator_response
    if row.baseline or not reported or computed is None or reported == computed:
        return []
    return [
        Finding(
            "investigator_response",
            "tumour.response_mismatch",
            f"investigator_response {reported}: differs from the computed RECIST 1.1 overall "
            f"response {computed}; check the measurements or the reported response",
            False,
        )
    ]
