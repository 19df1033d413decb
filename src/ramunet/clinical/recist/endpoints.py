"""RamuNET endpoints derived from the time-point responses: disease control at month 6 and the
progression-free survival inputs.

References
----------
PROTOCOL-NOTES.md "Endpoints" (binding): the month-6 assessment is the first evaluable
RECIST 1.1 assessment on day 154..182 after the first dose; success when its overall response
is CR, PR, SD (NON-CR/NON-PD) and neither progression nor death came before it; everything
else is failure. PFS from the start of treatment to progression or death, censored at the last
adequate tumour assessment. clinical-rules.md §1.10 (definition A), §1.11; register A-R9 to
A-R12. Eisenhauer EA et al. Eur J Cancer 2009;45:228-247, §4.7.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ramunet.clinical.recist.model import Response
from ramunet.clinical.recist.settings import RecistSettings

_CONTROL = frozenset({Response.CR, Response.PR, Response.SD, Response.NON_CR_NON_PD})


@dataclass(frozen=True)
class DiseaseControl:
    """Disease control at month 6: success or failure, with the reason in words."""

    success: bool
    reason: str
    assessment_date: dt.date | None
    response: Response | None


@dataclass(frozen=True)
class PfsOutcome:
    """Progression-free survival input: event (progression or death) or censoring, its date and
    the days from the first dose."""

    event: bool
    date: dt.date
    days: int
    reason: str


def _day(first_dose: dt.date, day: dt.date) -> str:
    return f"{day.isoformat()} (day {(day - first_dose).days})"


def disease_control_at_month_6(
    timeline: Sequence[tuple[dt.date, Response]],
    *,
    first_dose: dt.date,
    progression_date: dt.date | None,
    death_date: dt.date | None,
    settings: RecistSettings,
) -> DiseaseControl:
    """Disease control at month 6 as PROTOCOL-NOTES.md "Endpoints" defines it.

    The month-6 assessment is the first non-NE assessment with ``window_first_day <= day <=
    window_last_day`` (day = days after the first dose; default 154..182, both inclusive).
    Progression or death strictly before that assessment (or, without one, on or before the
    window's last day) is failure, reported first; then "no evaluable assessment"; then the
    assessment's response decides. Death on the day of the assessment is not "before" it.
    """
    first_day, last_day = settings.window_first_day, settings.window_last_day
    landmark = None
    for day, response in timeline:
        offset = (day - first_dose).days
        if first_day <= offset <= last_day and response is not Response.NE:
            landmark = (day, response)
            break
    if landmark is None:
        cutoff = first_dose + dt.timedelta(days=last_day)
        if progression_date is not None and progression_date <= cutoff:
            why = (
                f"progression on {_day(first_dose, progression_date)} before the month-6 assessment"
            )
            return DiseaseControl(False, why, None, None)
        if death_date is not None and death_date <= cutoff:
            why = f"death on {_day(first_dose, death_date)} before the month-6 assessment"
            return DiseaseControl(False, why, None, None)
        why = f"no evaluable assessment between day {first_day} and day {last_day}"
        return DiseaseControl(False, why, None, None)
    when, response = landmark
    if progression_date is not None and progression_date < when:
        why = f"progression on {_day(first_dose, progression_date)} before the month-6 assessment"
        return DiseaseControl(False, why, when, response)
    if death_date is not None and death_date < when:
        why = f"death on {_day(first_dose, death_date)} before the month-6 assessment"
        return DiseaseControl(False, why, when, response)
    if response in _CONTROL:
        why = f"{response.value} at the month-6 assessment on {_day(first_dose, when)}"
        return DiseaseControl(True, why, when, response)
    why = f"{response.value} at the month-6 assessment on {_day(first_dose, when)}"
    return DiseaseControl(False, why, when, response)


def progression_free_survival(
    timeline: Sequence[tuple[dt.date, Response]],
    *,
    first_dose: dt.date,
    progression_date: dt.date | None,
    death_date: dt.date | None,
) -> PfsOutcome:
    """PFS event or censoring (PROTOCOL-NOTES.md "Endpoints"; clinical-rules.md §1.11).

    Event at the earlier of the (back-dated) progression date and the death date, whenever the
    death occurred (no missed-visit rule in the protocol). Otherwise censored at the last
    adequate (non-NE) assessment, or at the first dose when there is none.
    """
    events = [
        (day, what)
        for day, what in ((progression_date, "progression"), (death_date, "death"))
        if day is not None
    ]
    if events:
        day, what = min(events, key=lambda event: event[0])
        return PfsOutcome(True, day, (day - first_dose).days, what)
    adequate = [day for day, response in timeline if response is not Response.NE]
    if adequate:
        last = adequate[-1]
        return PfsOutcome(
            False, last, (last - first_dose).days, "censored at the last adequate assessment"
        )
    return PfsOutcome(False, first_dose, 0, "censored at the first dose: no adequate assessment")
