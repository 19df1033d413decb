"""Central pathology's translational results and the monitor's queries of a simulated patient.

Pathology (Halle) enters the tissue markers and the circulating markers of the baseline
samples (PROTOCOL-NOTES.md, "Endpoints", translational); the values are synthetic, with
VEGFR2 in the stroma a little higher in patients whose disease is controlled (an invented
signal, so that the correlation analyses have something to find). The monitor raises a query
on a vital-signs weight for some patients; the nurse corrects it or confirms it against the
source; the monitor closes it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from ramunet.edc.crfs.models import Biosample, TranslationalResult, VitalSigns
from ramunet.edc.crfs.services import save_form
from ramunet.edc.queries import services as queries
from ramunet.edc.screening.models import Patient
from ramunet.simulate.cast import Cast
from ramunet.simulate.course_model import PatientCourse

RESULT_DELAY_DAYS = 45  # central analyses reported about six weeks after receipt
QUERY_SHARE = 0.35  # patients with a manual query
CORRECTED_SHARE = 0.4  # queries that end in a correction

# marker -> (unit, low, high): synthetic ranges of the central laboratory
TISSUE_MARKERS: dict[str, tuple[str, float, float]] = {
    "vegfr2_tumour": ("H-score", 20, 220),
    "vegfr2_stroma": ("H-score", 10, 180),
    "cd68": ("cells/mm2", 40, 400),
    "cd163": ("cells/mm2", 30, 350),
    "cd204": ("cells/mm2", 20, 250),
    "cd3": ("cells/mm2", 20, 500),
    "cd8": ("cells/mm2", 10, 300),
    "foxp3": ("cells/mm2", 2, 60),
    "cd31_mvd": ("vessels/mm2", 50, 400),
    "e_cadherin": ("H-score", 100, 300),
    "vimentin": ("H-score", 0, 120),
}
SERUM_MARKERS: dict[str, tuple[str, float, float]] = {
    "il1": ("pg/mL", 0.5, 8),
    "il6": ("pg/mL", 1, 25),
    "vegf": ("pg/mL", 50, 900),
    "ang1": ("ng/mL", 10, 60),
    "ang2": ("ng/mL", 1, 8),
}


def _result(
    pathology: Any,
    patient: Patient,
    sample: Biosample,
    on: dt.date,
    marker: str,
    value: Decimal | None,
    unit: str,
    category: str = "",
) -> None:
    save_form(
        pathology,
        TranslationalResult,
        patient=patient,
        values={
            "form_date": on,
            "sample": sample,
            "marker": marker,
            "value": value,
            "unit": unit,
            "category": category,
        },
    )


def translational_results(
    cast: Cast,
    patient: Patient,
    samples: list[Biosample],
    course: PatientCourse,
    cutoff: dt.date,
) -> int:
    """Enter the central results of the baseline tissue block and serum; how many."""
    rng = np.random.default_rng([course.seed, course.index, 800])
    count = 0
    for sample in samples:
        if sample.received_on is None:
            continue
        on = sample.received_on + dt.timedelta(days=RESULT_DELAY_DAYS)
        if on > cutoff:
            continue
        if sample.kind == Biosample.Kind.TISSUE:
            ki67 = max(min(course.base.ki67_percent + rng.normal(0, 1.5), 19.0), 1.0)
            _result(cast.pathology, patient, sample, on, "ki67", Decimal(f"{ki67:.1f}"), "%")
            _result(
                cast.pathology, patient, sample, on, "grading", None, "", "G1" if ki67 < 3 else "G2"
            )
            markers = TISSUE_MARKERS
            count += 2
        else:
            markers = SERUM_MARKERS
        for marker, (unit, low, high) in markers.items():
            value = rng.uniform(low, high)
            if marker == "vegfr2_stroma" and course.outcome.controlled:
                value = min(value * 1.3, high)
            _result(cast.pathology, patient, sample, on, marker, Decimal(f"{value:.1f}"), unit)
            count += 1
    return count


def monitor_queries(cast: Cast, patient: Patient, course: PatientCourse) -> int:
    """Maybe one query on a weight; answered (corrected or confirmed) and closed. How many."""
    rng = np.random.default_rng([course.seed, course.index, 810])
    if rng.random() >= QUERY_SHARE:
        return 0
    rows = list(VitalSigns.objects.filter(patient=patient).order_by("form_date", "pk"))
    if len(rows) < 2:
        return 0
    form = rows[int(rng.integers(1, len(rows)))]
    nurse = cast.nurses[patient.centre.code]
    query = queries.raise_query(
        cast.monitor,
        form,
        "weight_kg",
        f"weight_kg {form.weight_kg} on {form.form_date}: please check against the source",
    )
    if rng.random() < CORRECTED_SHARE and form.weight_kg is not None:
        corrected = form.weight_kg + Decimal("0.5")
        save_form(
            nurse,
            VitalSigns,
            patient=patient,
            instance=form,
            values={"weight_kg": corrected},
            expected_version=form.version,
            reason=f"transcription error: {corrected} kg in the source (query #{query.pk})",
        )
        answer = f"corrected to {corrected} kg as in the nurse's notes"
    else:
        answer = "confirmed against the source (scale printout)"
    query = queries.answer_query(nurse, query, answer)
    queries.close_query(cast.monitor, query, "resolved")
    return 1
