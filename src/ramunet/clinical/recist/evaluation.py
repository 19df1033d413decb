"""``evaluate``: a patient's RECIST 1.1 course from baseline and follow-ups to the endpoints.

Implements the reference algorithm of clinical-rules.md §1.12: per follow-up the sum of
diameters (integer tenths of a mm, exact), the target, non-target and overall responses
(Tables 1 and 2), the nadir (complete sums only, baseline included), back-dating of confirmed
equivocal new lesions; then the best overall response (unconfirmed and confirmed), the
progression date, disease control at month 6 and the PFS event or censoring.

References
----------
Eisenhauer EA et al. Eur J Cancer 2009;45:228-247, §4.3-§4.4, §4.6-§4.7; clinical-rules.md
§1.3-1.13; PROTOCOL-NOTES.md "Endpoints".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.recist.baseline import (
    MAX_DIAMETER_MM,
    NODE_PATHOLOGICAL_TENTHS,
    BaselineSummary,
    diameter_tenths,
    tenths_to_mm,
    validate_baseline,
)
from ramunet.clinical.recist.best_response import (
    confirmed_best_response,
    unconfirmed_best_response,
)
from ramunet.clinical.recist.endpoints import (
    DiseaseControl,
    PfsOutcome,
    disease_control_at_month_6,
    progression_free_survival,
)
from ramunet.clinical.recist.model import (
    Assessment,
    Baseline,
    Measurement,
    NewLesions,
    NonTargetStatus,
    Response,
)
from ramunet.clinical.recist.settings import DEFAULT_RECIST, RecistSettings
from ramunet.clinical.recist.timepoint import (
    non_target_response,
    overall_response,
    target_response,
)

TOO_SMALL_TENTHS = 50
_TENTH_PCT = Decimal("0.1")


def _percent(change: int, reference: int) -> Decimal | None:
    if reference == 0:
        return None
    return (Decimal(change * 100) / Decimal(reference)).quantize(_TENTH_PCT, ROUND_HALF_UP)


@dataclass(frozen=True)
class TimepointResult:
    """One follow-up: the sum, the changes and the responses (RECIST 1.1 §4.3-4.4).

    ``sum_tenth_mm`` is the sum of the measured targets (partial when ``sum_complete`` is
    false; ``None`` when no target was measured or there are none); ``nadir_tenth_mm`` is the
    smallest complete sum before this time point, baseline included. ``overall`` may have been
    set to PD after the fact by a confirmed equivocal new lesion (``backdated_progression``).
    """

    date: dt.date
    day: int
    sum_tenth_mm: int | None
    sum_complete: bool
    baseline_tenth_mm: int
    nadir_tenth_mm: int
    target: Response
    non_target: Response
    new_lesions: NewLesions
    overall: Response
    backdated_progression: bool = False

    @property
    def sum_diameters_mm(self) -> Decimal | None:
        return None if self.sum_tenth_mm is None else tenths_to_mm(self.sum_tenth_mm)

    @property
    def nadir_mm(self) -> Decimal:
        return tenths_to_mm(self.nadir_tenth_mm)

    @property
    def change_from_baseline_pct(self) -> Decimal | None:
        """% change of a complete sum from the baseline sum, to 0.1% half-up."""
        if self.sum_tenth_mm is None or not self.sum_complete:
            return None
        return _percent(self.sum_tenth_mm - self.baseline_tenth_mm, self.baseline_tenth_mm)

    @property
    def change_from_nadir_pct(self) -> Decimal | None:
        """% change of a complete sum from the nadir, to 0.1% half-up (``None`` at nadir 0)."""
        if self.sum_tenth_mm is None or not self.sum_complete:
            return None
        return _percent(self.sum_tenth_mm - self.nadir_tenth_mm, self.nadir_tenth_mm)


@dataclass(frozen=True)
class RecistResult:
    """A patient's RECIST 1.1 evaluation: time points and derived endpoints."""

    baseline: BaselineSummary
    first_dose: dt.date
    death_date: dt.date | None
    settings: RecistSettings
    timepoints: tuple[TimepointResult, ...]
    best_overall_response: Response
    confirmed_best_overall_response: Response
    progression_date: dt.date | None
    disease_control: DiseaseControl
    pfs: PfsOutcome

    @property
    def baseline_sum_mm(self) -> Decimal:
        return self.baseline.sum_diameters_mm

    @property
    def objective_response(self) -> bool:
        """Confirmed CR or PR (PROTOCOL-NOTES.md "Endpoints": objective response)."""
        return self.confirmed_best_overall_response in (Response.CR, Response.PR)


def _timepoint(values: dict[str, object]) -> TimepointResult:
    """A ``TimepointResult`` from already validated values, without the frozen-dataclass
    ``__init__`` (which sets every field through ``object.__setattr__``, about twice as slow
    in the hot loop); ``values`` must name every field."""
    row = object.__new__(TimepointResult)
    row.__dict__.update(values)
    return row


def _field(index: int, name: str) -> str:
    """The dotted field name of a follow-up's attribute, built only for an error."""
    return f"followups[{index}].{name}"


def _check_date(value: object, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput(field, "must be a date", value)
    return value


_E = TypeVar("_E", NonTargetStatus, NewLesions)


def _enum_value(value: object, kind: type[_E], field: str) -> _E:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return kind(value)
    except ValueError:
        raise UnknownTerm(field, value, [member.value for member in kind]) from None


def _target_sum(
    target_mm: Mapping[str, object], lesions: list[tuple[str, bool]], index: int
) -> tuple[int, int, bool]:
    """Sum (tenths of a mm), number measured, and whether the target CR rule holds.

    Plain non-negative ints and floats up to 1000 mm take a fast path; anything else goes
    through ``diameter_tenths``, which validates and names the field.
    """
    total = 0
    measured = 0
    complete_response = True
    for lesion_id, nodal in lesions:
        value = target_mm.get(lesion_id)
        if value is None:
            continue
        cls = value.__class__
        if cls is int and 0 <= value <= MAX_DIAMETER_MM:  # type: ignore[operator]
            tenths: int = value * 10  # type: ignore[operator]
        elif cls is float and 0 <= value <= MAX_DIAMETER_MM:  # type: ignore[operator]
            scaled = value * 10  # type: ignore[operator]
            tenths = round(scaled)
            if abs(scaled - tenths) > 1e-6:
                tenths = diameter_tenths(value, _field(index, f"target_mm[{lesion_id!r}]"))
        elif isinstance(value, str) and value == Measurement.TOO_SMALL:
            tenths = TOO_SMALL_TENTHS  # 5 mm; never 0 mm, so no non-nodal CR (§4.3.2)
        else:
            tenths = diameter_tenths(value, _field(index, f"target_mm[{lesion_id!r}]"))
        # CR: every non-nodal target 0 mm, every nodal target < 10 mm short axis (§4.3.1)
        if (tenths >= NODE_PATHOLOGICAL_TENTHS) if nodal else tenths:
            complete_response = False
        total += tenths
        measured += 1
    return total, measured, complete_response


def evaluate(
    baseline: Baseline,
    followups: Iterable[Assessment],
    settings: RecistSettings = DEFAULT_RECIST,
    *,
    first_dose: dt.date,
    death_date: dt.date | None = None,
) -> RecistResult:
    """Evaluate one patient by RECIST 1.1 (Eisenhauer et al. 2009) and the RamuNET endpoints.

    Parameters
    ----------
    baseline
        The baseline assessment; validated by ``validate_baseline``.
    followups
        Follow-up assessments, strictly after the baseline and each other, in date order.
    settings
        Confirmation interval, SD minimum, NE tolerance, month-6 window.
    first_dose
        Date of the first dose of study treatment (C1D1), on or after the baseline scan: the
        reference date for the SD minimum, the month-6 window and PFS.
    death_date
        Date of death, if the patient died; no assessment may follow it.

    Returns
    -------
    RecistResult

    Raises
    ------
    InvalidInput
        Naming the field, e.g. ``followups[2].target_mm['L1']``.
    """
    summary = validate_baseline(baseline)
    if not isinstance(settings, RecistSettings):
        raise InvalidInput("settings", "must be RecistSettings", settings)
    first_dose = _check_date(first_dose, "first_dose")
    if first_dose < baseline.date:
        raise InvalidInput("first_dose", "must not be before baseline.date", first_dose.isoformat())
    if death_date is not None:
        death_date = _check_date(death_date, "death_date")
        if death_date < first_dose:
            raise InvalidInput(
                "death_date", "must not be before first_dose", death_date.isoformat()
            )
    has_targets = bool(summary.target_ids)
    target_ids = frozenset(summary.target_ids)
    baseline_tenths = nadir = summary.sum_tenth_mm
    previous = baseline.date
    rows: list[TimepointResult] = []
    equivocal_at: dict[dt.date, int] = {}
    backdate: list[int] = []
    lesions = list(zip(summary.target_ids, summary.nodal, strict=True))
    for index, assessment in enumerate(followups):
        if assessment.__class__ is not Assessment and not isinstance(assessment, Assessment):
            raise InvalidInput(f"followups[{index}]", "must be an Assessment", assessment)
        when = assessment.date
        if when.__class__ is not dt.date:
            when = _check_date(when, _field(index, "date"))
        if when <= previous:
            rule = "must be after the previous assessment" if rows else "must be after baseline"
            raise InvalidInput(_field(index, "date"), rule, when.isoformat())
        if death_date is not None and when > death_date:
            raise InvalidInput(
                _field(index, "date"), "must not be after death_date", when.isoformat()
            )
        previous = when
        target_mm = assessment.target_mm
        if target_mm.__class__ is not dict and not isinstance(target_mm, Mapping):
            raise InvalidInput(_field(index, "target_mm"), "must be a mapping of lesion id to mm")
        if not target_ids.issuperset(target_mm):
            unknown = next(lesion_id for lesion_id in target_mm if lesion_id not in target_ids)
            expected = list(summary.target_ids) or "no target lesion"
            raise UnknownTerm(_field(index, "target_mm"), unknown, expected)
        total, measured, complete_response = _target_sum(target_mm, lesions, index)
        complete = measured == len(summary.target_ids)
        if has_targets:
            target = target_response(total, complete, complete_response, baseline_tenths, nadir)
        else:
            target = Response.NA
        status = assessment.non_target
        if status is not None:
            if status.__class__ is not NonTargetStatus:
                status = _enum_value(status, NonTargetStatus, _field(index, "non_target"))
            if not summary.has_non_targets:
                raise InvalidInput(
                    _field(index, "non_target"),
                    "baseline recorded no non-target lesion; expected None",
                    status.value,
                )
        new = assessment.new_lesions
        if new.__class__ is not NewLesions:
            new = _enum_value(new, NewLesions, _field(index, "new_lesions"))
        non_target = non_target_response(status, summary.has_non_targets)
        overall = overall_response(target, non_target, new is NewLesions.UNEQUIVOCAL)
        confirmed_from = assessment.equivocal_confirmed_from
        if confirmed_from is not None:
            field = _field(index, "equivocal_confirmed_from")
            confirmed_from = _check_date(confirmed_from, field)
            if new is not NewLesions.UNEQUIVOCAL:
                raise InvalidInput(
                    field, "needs an unequivocal new lesion here", confirmed_from.isoformat()
                )
            if confirmed_from not in equivocal_at:
                raise InvalidInput(
                    field,
                    "no earlier assessment on that date showed an equivocal new lesion",
                    confirmed_from.isoformat(),
                )
            backdate.append(equivocal_at[confirmed_from])
        if new is NewLesions.EQUIVOCAL:
            equivocal_at[when] = index
        rows.append(
            _timepoint(
                {
                    "date": when,
                    "day": (when - first_dose).days,
                    "sum_tenth_mm": total if measured else None,
                    "sum_complete": has_targets and complete,
                    "baseline_tenth_mm": baseline_tenths,
                    "nadir_tenth_mm": nadir,
                    "target": target,
                    "non_target": non_target,
                    "new_lesions": new,
                    "overall": overall,
                    "backdated_progression": False,
                }
            )
        )
        if has_targets and complete and total < nadir:
            nadir = total
    for index in backdate:  # RECIST 1.1 §4.3.5: PD dated to the first scan showing the lesion
        rows[index] = dataclasses.replace(
            rows[index], overall=Response.PD, backdated_progression=True
        )
    return _derive(summary, tuple(rows), settings, first_dose, death_date)


def _derive(
    summary: BaselineSummary,
    rows: tuple[TimepointResult, ...],
    settings: RecistSettings,
    first_dose: dt.date,
    death_date: dt.date | None,
) -> RecistResult:
    timeline = [(row.date, row.overall) for row in rows]
    non_target_only = not summary.target_ids
    progression_date = next((day for day, resp in timeline if resp is Response.PD), None)
    return RecistResult(
        baseline=summary,
        first_dose=first_dose,
        death_date=death_date,
        settings=settings,
        timepoints=rows,
        best_overall_response=unconfirmed_best_response(
            timeline, first_dose=first_dose, settings=settings, non_target_only=non_target_only
        ),
        confirmed_best_overall_response=confirmed_best_response(
            timeline, first_dose=first_dose, settings=settings, non_target_only=non_target_only
        ),
        progression_date=progression_date,
        disease_control=disease_control_at_month_6(
            timeline,
            first_dose=first_dose,
            progression_date=progression_date,
            death_date=death_date,
            settings=settings,
        ),
        pfs=progression_free_survival(
            timeline,
            first_dose=first_dose,
            progression_date=progression_date,
            death_date=death_date,
        ),
    )
