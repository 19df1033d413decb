"""Schedule of assessments as plain data, and a patient's planned calendar.

The protocol's Table 1 was lost in extraction; the plan is reconstructed from its footnotes and
the text (PROTOCOL-NOTES.md, "Schedule of assessments"; erratum E04).

Days are counted from the first dose: the first dose (cycle 1 day 1) is day 0, cycle k day 1 is
day 28(k-1), cycle k day 15 is day 28(k-1)+14, and the 12-weekly assessments fall on days 84,
168, ... (day 168 is the end of cycle 6, the month-6 assessment). Follow-up visits are calendar
months after the first dose (every 3 months up to month 24).

Visit codes: ``SCR`` screening (day -28..0), ``C<k>D1`` / ``C<k>D15`` cycle visits, ``W<nn>``
12-weekly assessment in week nn, ``EOT`` end of treatment, ``SFU`` safety follow-up 30 days after
the last dose, ``M<nn>`` follow-up in month nn.

Form codes (stable strings; the EDC builds one eCRF per code):

=========  ======================================================================
CONSENT    informed consent (date, version)
ELIG       eligibility checklist (IN01..IN14, EX01..EX16) and attestations
DEMOG      demographics: sex, date of birth, childbearing potential
MH         medical history, incl. thromboembolic events, surgery, other malignancies
PRIOR      prior tumour therapies with progression and dates
TUMOUR     tumour imaging (CT/MRI) and RECIST 1.1 measurements
PE         physical examination, height and weight
ECOG       ECOG performance status
VITALS     vital signs incl. blood pressure and weight
HAEM       haematology: haemoglobin, ANC, platelets
CHEM       chemistry: creatinine, bilirubin, AST, ALT
COAG       coagulation: INR, PTT
URINE      urine protein: dipstick/urinalysis, 24-h protein, 24-h creatinine clearance
PREG       pregnancy test (serum within 7 days before the first dose)
CGA        chromogranin A (or the specific hormone in functional PNET)
QLQC30     EORTC QLQ-C30 version 3.0
TISSUE     tissue block request for central pathology (Halle)
BIOSAMPLE  serum/plasma sample for circulating biomarkers
EXPOSURE   drug administration: doses, weight and BSA used, infusion times
AE         adverse events (CTCAE v5.0)
CM         concomitant medication
EOT        end of treatment: date and reason
FOLLOWUP   survival status, progression, subsequent therapies
TRANSL     central translational results (Ki-67, VEGFR2, CD68 ... angiopoietins)
DEATH      death: date and cause
EOS        end of study: date and reason
=========  ======================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ramunet.clinical.errors import InvalidInput
from ramunet.protocol.dates import add_months
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings

FORMS: tuple[tuple[str, str], ...] = (
    ("CONSENT", "Informed consent"),
    ("ELIG", "Eligibility checklist and attestations"),
    ("DEMOG", "Demographics"),
    ("MH", "Medical history"),
    ("PRIOR", "Prior tumour therapies"),
    ("TUMOUR", "Tumour imaging and RECIST 1.1"),
    ("PE", "Physical examination, height and weight"),
    ("ECOG", "ECOG performance status"),
    ("VITALS", "Vital signs incl. blood pressure"),
    ("HAEM", "Haematology"),
    ("CHEM", "Chemistry"),
    ("COAG", "Coagulation"),
    ("URINE", "Urine protein"),
    ("PREG", "Pregnancy test"),
    ("CGA", "Chromogranin A / specific hormone"),
    ("QLQC30", "EORTC QLQ-C30"),
    ("TISSUE", "Tissue block request"),
    ("BIOSAMPLE", "Serum/plasma sample"),
    ("EXPOSURE", "Drug administration"),
    ("AE", "Adverse events"),
    ("CM", "Concomitant medication"),
    ("EOT", "End of treatment"),
    ("FOLLOWUP", "Survival, progression, subsequent therapy"),
    ("TRANSL", "Central translational results"),
    ("DEATH", "Death"),
    ("EOS", "End of study"),
)
FORM_CODES: tuple[str, ...] = tuple(code for code, _ in FORMS)

# Forms filled whenever the event happens, outside the visit plan.
EVENT_FORMS: tuple[str, ...] = ("AE", "CM", "TRANSL", "DEATH", "EOS")

SCREENING_FORMS = (
    "CONSENT", "ELIG", "DEMOG", "MH", "PRIOR", "PE", "ECOG", "VITALS", "HAEM", "CHEM", "COAG",
    "URINE", "PREG", "CGA", "QLQC30", "TUMOUR", "TISSUE", "BIOSAMPLE", "CM",
)  # fmt: skip
DAY1_FORMS = (
    "PE", "ECOG", "VITALS", "HAEM", "CHEM", "URINE", "AE", "CM", "EXPOSURE",
)  # fmt: skip
DAY15_FORMS = ("VITALS", "URINE", "AE", "EXPOSURE")
ASSESSMENT_FORMS = ("TUMOUR", "CGA", "QLQC30", "BIOSAMPLE")
EOT_FORMS = ("EOT", "AE", "CM")
SAFETY_FORMS = ("AE", "CM")
FOLLOW_UP_FORMS = ("FOLLOWUP", "TUMOUR", "CGA", "QLQC30", "BIOSAMPLE")


@dataclass(frozen=True)
class Visit:
    """A planned visit: target day (or month) after the first dose, its window and forms.

    Exactly one of ``day`` (days after the first dose) and ``month`` (calendar months after the
    first dose) is set. The window runs from ``window_before`` days before the target date to
    ``window_after`` days after it, both ends inside.
    """

    code: str
    label: str
    day: int | None
    window_before: int
    window_after: int
    forms: tuple[str, ...]
    month: int | None = None

    def target_date(self, first_dose: date) -> date:
        """The visit's target date for a patient first dosed on ``first_dose``."""
        if self.month is not None:
            return add_months(first_dose, self.month)
        return first_dose + timedelta(days=self.day or 0)


@dataclass(frozen=True)
class PlannedVisit:
    """One visit of a patient's calendar: target date and window dates (both inside)."""

    visit: Visit
    target: date
    earliest: date
    latest: date

    @property
    def code(self) -> str:
        return self.visit.code

    def in_window(self, day: date) -> bool:
        """Whether ``day`` lies in the visit window (ends inclusive)."""
        return self.earliest <= day <= self.latest


def visit_plan(
    cycles: int | None = None, settings: ProtocolSettings = DEFAULT_SETTINGS
) -> tuple[Visit, ...]:
    """The visits for ``cycles`` treatment cycles (default: the protocol's 6), in date order.

    Parameters
    ----------
    cycles
        Number of treatment cycles given or planned (>= 1); continuation beyond the protocol
        cycles is allowed (PROTOCOL-NOTES.md, "Treatment").
    settings
        Cycle length, windows, assessment interval, safety follow-up and follow-up length.
    """
    count = settings.protocol_cycles if cycles is None else cycles
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidInput("cycles", "must be a whole number >= 1", count)
    cycle_len = settings.cycle_length_days
    cycle_window = settings.cycle_visit_window_days
    assess_window = settings.assessment_window_days
    visits: list[Visit] = [
        Visit("SCR", "Screening", 0, settings.screening_window_days, 0, SCREENING_FORMS)
    ]
    for k in range(1, count + 1):
        start = cycle_len * (k - 1)
        window = 0 if k == 1 else cycle_window  # cycle 1 day 1 is the first dose: day 0
        visits.append(Visit(f"C{k}D1", f"Cycle {k} day 1", start, window, window, DAY1_FORMS))
        visits.append(
            Visit(
                f"C{k}D15", f"Cycle {k} day 15", start + 14, cycle_window, cycle_window, DAY15_FORMS
            )
        )
    treatment_end_day = cycle_len * count
    interval = settings.assessment_interval_days
    for day in range(interval, treatment_end_day + 1, interval):
        week = day // 7
        visits.append(
            Visit(f"W{week:02d}", f"Week {week} assessment", day, assess_window, assess_window,
                  ASSESSMENT_FORMS)
        )  # fmt: skip
    visits.append(
        Visit("EOT", "End of treatment", treatment_end_day, assess_window, assess_window, EOT_FORMS)
    )
    last_dose_day = cycle_len * (count - 1) + 14
    safety_day = last_dose_day + settings.safety_follow_up_days
    visits.append(
        Visit("SFU", "Safety follow-up", safety_day, assess_window, assess_window, SAFETY_FORMS)
    )
    visits.sort(key=lambda visit: visit.day or 0)  # stable: SCR before C1D1, C4D1 before W12
    step = settings.follow_up_interval_months
    for month in range(step, settings.follow_up_months + 1, step):
        # Follow-up months come after the treatment months; the protocol counts one 28-day
        # cycle as one month ("6 cycles", "therapy continues for 6 months").
        if month <= count:
            continue
        visits.append(
            Visit(f"M{month:02d}", f"Follow-up month {month}", None, assess_window, assess_window,
                  FOLLOW_UP_FORMS, month=month)
        )  # fmt: skip
    return tuple(visits)


def planned_calendar(
    first_dose: date,
    cycles: int | None = None,
    settings: ProtocolSettings = DEFAULT_SETTINGS,
) -> list[PlannedVisit]:
    """A patient's planned calendar from the first-dose date, in date order.

    Pure: dates in, list out. Windows are the visit's target date minus ``window_before`` and
    plus ``window_after`` days, both ends inside.

    >>> [v.code for v in planned_calendar(date(2026, 1, 5), cycles=1)][:4]
    ['SCR', 'C1D1', 'C1D15', 'EOT']
    """
    plan = visit_plan(cycles, settings)
    planned = [
        PlannedVisit(
            visit,
            visit.target_date(first_dose),
            visit.target_date(first_dose) - timedelta(days=visit.window_before),
            visit.target_date(first_dose) + timedelta(days=visit.window_after),
        )
        for visit in plan
    ]
    return sorted(planned, key=lambda item: (item.target, plan.index(item.visit)))
