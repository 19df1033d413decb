"""CTCAE v5.0 grades read from a blood-pressure reading or a urine dipstick.

References
----------
U.S. DHHS/NIH/NCI, CTCAE v5.0 (27 Nov 2017): Vascular disorders, Hypertension (adult);
Renal and urinary disorders, Proteinuria (adult). clinical-rules.md §2.5, §2.6.
"""

from __future__ import annotations

from ramunet.clinical.ctcae_criteria import BloodPressure, LabTerm, lab_term
from ramunet.clinical.ctcae_result import Grade, make_grade, positive
from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.units import Number

# Proteinuria (adult): 1+ -> 1; 2+ and 3+ -> 2; 4+ -> 3. "Trace" is not a listed category.
DIPSTICK_GRADES: dict[str, int] = {
    "negative": 0,
    "trace": 0,
    "1+": 1,
    "2+": 2,
    "3+": 2,
    "4+": 3,
}


def grade_dipstick(spec: LabTerm, value: object) -> Grade:
    reading = value.strip().replace(" ", "").casefold() if isinstance(value, str) else None
    if reading not in DIPSTICK_GRADES:
        raise InvalidInput(
            "value",
            f"not a dipstick reading; expected {', '.join(DIPSTICK_GRADES)}",
            value,
        )
    grade_ = DIPSTICK_GRADES[reading]
    criteria = {0: "negative or trace", 1: "1+", 2: "2+ and 3+", 3: "4+"}
    return make_grade(
        spec,
        grade_,
        f"dipstick {reading}",
        criteria[grade_],
        reading,
        "dipstick",
        {"lln": None, "uln": None, "baseline": None},
    )


def grade_hypertension(systolic_mmhg: Number, diastolic_mmhg: Number) -> Grade:
    """Grade adult hypertension from one blood-pressure reading (CTCAE v5.0, Vascular disorders).

    The reading's worse category wins: SBP 120-139 or DBP 80-89 -> 1; SBP 140-159 or DBP 90-99
    -> 2; SBP >= 160 or DBP >= 100 -> 3. The whole-number ranges are read as half-open intervals
    (120-139 = 120 <= SBP < 140), so a non-integer reading falls in exactly one band. Grade 2's
    "if previously WNL" and the treatment components (monotherapy, more than one drug) and
    grade 4 (life-threatening consequences) are clinical: they can only raise the grade and need
    their own inputs (clinical-rules.md §2.6).

    Raises ``InvalidInput`` for a reading that is not positive or whose diastolic exceeds its
    systolic (a swapped entry).
    """
    spec = lab_term("Hypertension")
    rule = spec.rule
    assert isinstance(rule, BloodPressure)
    systolic = positive(systolic_mmhg, "systolic_mmhg")
    diastolic = positive(diastolic_mmhg, "diastolic_mmhg")
    if diastolic > systolic:
        raise InvalidInput(
            "diastolic_mmhg", f"must not exceed systolic_mmhg {systolic}", diastolic_mmhg
        )
    parts = []
    grades = []
    for name, reading, cuts in (
        ("SBP", systolic, rule.systolic_cuts),
        ("DBP", diastolic, rule.diastolic_cuts),
    ):
        grade_ = 0
        text = f"{name} <{cuts[0][0]}"
        for index, (bound, band_grade) in enumerate(cuts):
            if reading >= bound:
                grade_ = band_grade
                if index + 1 < len(cuts):
                    text = f"{name} {bound}-{cuts[index + 1][0] - 1}"
                else:
                    text = f"{name} >={bound}"
        parts.append(f"{text} (grade {grade_})")
        grades.append(grade_)
    final = max(grades)
    return make_grade(
        spec,
        final,
        f"{systolic}/{diastolic} mmHg",
        ", ".join(parts),
        (systolic, diastolic),
        "mmHg",
        {"lln": None, "uln": None, "baseline": None},
    )
