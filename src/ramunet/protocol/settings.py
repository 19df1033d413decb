"""Protocol settings: every number an amendment may change, as data with defaults.

The defaults are the published RamuNET protocol, version 01 (BMC Cancer 2021,
doi:10.1186/s12885-021-08900-7) as read in PROTOCOL-NOTES.md. Thresholds are ``Decimal`` so that
boundaries compare exactly (clinical-rules.md §0.1). An amendment (for example the EU trials
register's G1-G3 / Ki-67 <= 55% / age 18-80 variant) is a new ``ProtocolSettings``, not new code::

    ProtocolSettings(allowed_grades=("G1", "G2", "G3"), ki67_max_percent=Decimal(55),
                     age_max_years=80, temozolomide_rule=TemozolomideRule.ALLOW_AFTER_GAP)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ramunet.clinical.errors import InvalidInput, UnknownTerm

PROTOCOL_VERSION = "01"
_GRADES = ("G1", "G2", "G3")
_DIPSTICK = ("negative", "trace", "1+", "2+", "3+", "4+")


class TemozolomideRule(StrEnum):
    """How prior temozolomide (DTIC's oral derivative) is handled in IN04.

    ``REVIEW`` (default, PROTOCOL-NOTES "Prior therapy"): investigator confirmation needed.
    ``EXCLUDE``: any prior temozolomide excludes, like DTIC.
    ``ALLOW_AFTER_GAP``: allowed when the last dose is more than ``temozolomide_gap_months``
    before the first dose (EU trials register variant, not verified).
    """

    REVIEW = "review"
    EXCLUDE = "exclude"
    ALLOW_AFTER_GAP = "allow_after_gap"


@dataclass(frozen=True)
class ProtocolSettings:
    """The protocol's numbers, with the published protocol's values as defaults.

    Inequalities are part of each name's rule and are documented beside it; the eligibility
    engine (``ramunet.protocol.eligibility``) applies them exactly as stated here.
    """

    version: str = PROTOCOL_VERSION

    # Population (inclusion IN01, IN02, IN04, IN05)
    age_min_years: int = 18  # completed years at consent, inclusive
    age_max_years: int = 75  # completed years at consent, inclusive
    allowed_grades: tuple[str, ...] = ("G1", "G2")  # WHO grade of the pNET
    ki67_max_percent: Decimal = Decimal(20)  # Ki-67 <= this (WHO 2019: G2 is 3-20%)
    ecog_max: int = 1  # ECOG 0-1
    temozolomide_rule: TemozolomideRule = TemozolomideRule.REVIEW
    temozolomide_gap_months: int = 6  # only for ALLOW_AFTER_GAP: last dose > this before

    # Screening windows, counted back from the planned first dose, boundary inside
    screening_window_days: int = 28
    pregnancy_test_window_days: int = 7

    # Renal (IN07)
    creatinine_max_x_uln: Decimal = Decimal("1.5")  # creatinine <= 1.5 x ULN
    creatinine_clearance_min_ml_min: Decimal = Decimal(40)  # 24-h clearance >= 40 mL/min
    dipstick_max_without_24h: str = "1+"  # dipstick <= 1+; >= 2+ needs the 24-h protein
    urine_protein_24h_below_mg: Decimal = Decimal(1000)  # 24-h protein < 1000 mg

    # Hepatic (IN08)
    bilirubin_max_mg_dl: Decimal = Decimal("1.5")  # <= 1.5 mg/dL (25.65 umol/L)
    transaminase_max_x_uln: Decimal = Decimal("3.0")  # AST, ALT <= 3.0 x ULN
    transaminase_max_x_uln_liver_metastases: Decimal = Decimal("5.0")  # <= 5.0 x ULN

    # Bone marrow (IN09), all strict ">"
    anc_above_per_mm3: Decimal = Decimal(1500)
    platelets_above_per_mm3: Decimal = Decimal(100000)
    hemoglobin_above_g_dl: Decimal = Decimal(9)

    # Coagulation (IN10)
    inr_max: Decimal = Decimal("1.5")  # INR <= 1.5
    ptt_max_above_uln_s: Decimal = Decimal(5)  # PTT <= ULN + 5 s

    # Exclusion windows (EX02, EX04, EX05, EX07, EX09, EX10, EX13, EX14, EX16)
    malignancy_disease_free_years: int = 5  # disease-free period > 5 years
    other_trial_days: int = 28  # "within the last 4 weeks"
    arterial_thromboembolism_months: int = 6
    hypertension_uncontrolled_max_days: int = 28  # excluded when > 4 weeks
    hypertension_systolic_above_mmhg: int = 160
    hypertension_diastolic_above_mmhg: int = 100
    aspirin_max_mg_per_day: Decimal = Decimal(325)  # once-daily aspirin <= 325 mg/day allowed
    gi_bleeding_months: int = 3
    venous_thromboembolism_months: int = 3
    gi_perforation_months: int = 6
    major_surgery_days: int = 28
    minor_surgery_days: int = 7  # also subcutaneous venous access device placement
    wound_days: int = 28

    # Treatment and schedule
    cycle_length_days: int = 28
    protocol_cycles: int = 6
    assessment_interval_days: int = 84  # every 12 weeks from the first dose
    cycle_visit_window_days: int = 3  # +/- for day-1 and day-15 visits
    assessment_window_days: int = 7  # +/- for 12-weekly and 3-monthly assessments
    safety_follow_up_days: int = 30  # after the last dose
    follow_up_interval_months: int = 3
    follow_up_months: int = 24  # from the start of study treatment
    weight_change_recalculation_percent: Decimal = Decimal(10)

    # Endpoints
    month6_target_day: int = 168  # end of cycle 6
    month6_window_days: int = 14  # first evaluable assessment in day 154..182
    confirmation_min_days: int = 28  # CR/PR confirmation for objective response
    stable_disease_min_days: int = 42  # SD counts as best response from day 42
    cga_response_decrease_percent: Decimal = Decimal(50)  # >= 50% decrease
    cga_progression_increase_percent: Decimal = Decimal(25)  # >= 25% increase
    qol_meaningful_change_points: Decimal = Decimal(10)  # >= 10 points (Osoba 1998)

    def __post_init__(self) -> None:
        """Refuse settings no rule can apply (``InvalidInput`` naming the setting)."""
        if not 0 <= self.age_min_years <= self.age_max_years:
            raise InvalidInput(
                "age_max_years",
                f"must be >= age_min_years {self.age_min_years} (and both >= 0)",
                self.age_max_years,
            )
        unknown = [grade for grade in self.allowed_grades if grade not in _GRADES]
        if unknown or not self.allowed_grades:
            raise UnknownTerm("allowed_grades", self.allowed_grades, _GRADES)
        if self.dipstick_max_without_24h not in _DIPSTICK:
            raise UnknownTerm("dipstick_max_without_24h", self.dipstick_max_without_24h, _DIPSTICK)
        for name in (
            "cycle_length_days",
            "protocol_cycles",
            "assessment_interval_days",
            "follow_up_interval_months",
            "screening_window_days",
            "pregnancy_test_window_days",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInput(name, "must be a whole number >= 1", value)

    @property
    def month6_window(self) -> tuple[int, int]:
        """First and last day (after the first dose) of the month-6 assessment window."""
        return (
            self.month6_target_day - self.month6_window_days,
            self.month6_target_day + self.month6_window_days,
        )


DEFAULT_SETTINGS = ProtocolSettings()
