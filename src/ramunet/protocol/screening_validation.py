"""Validation of typed screening data: impossible values raise ``InvalidInput`` naming the field.

Runs at the public edge (``evaluate_eligibility`` and ``screening_from_dict``); the rules then
trust the values. Field names are dotted paths of the posted dict (``labs.2.uln``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.units import analyte
from ramunet.protocol.eligibility_labs import ULN_ANALYTES
from ramunet.protocol.screening import ScreeningData, Sex

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
GRADES: tuple[str, ...] = ("G1", "G2", "G3")
MAX_MAGNITUDE = Decimal("1e9")
MAX_PLACES = 6
ECOG_RANGE = range(0, 6)


def check_date_range(value: date, field: str) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidInput(
            field, f"must be between {EARLIEST_DATE} and {LATEST_DATE}", value.isoformat()
        )


def check_places(value: Decimal, field: str) -> None:
    """At most 6 decimal places (keeps every ratio and conversion exact in 28 digits)."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise InvalidInput(field, f"must have at most {MAX_PLACES} decimal places", str(value))


def check_amount(value: Decimal, field: str) -> None:
    """A measured amount: not negative, below 1e9, at most 6 decimal places."""
    if value < 0:
        raise InvalidInput(field, "must not be negative", str(value))
    if value >= MAX_MAGNITUDE:
        raise InvalidInput(field, "must be below 1e9", str(value))
    check_places(value, field)


def _not_after_first_dose(value: date, field: str, first_dose: date) -> None:
    if value > first_dose:
        raise InvalidInput(
            field,
            f"must not be after planned_first_dose_date {first_dose.isoformat()}",
            value.isoformat(),
        )


def _dated(items: Sequence[object], name: str, first_dose: date) -> None:
    for index, item in enumerate(items):
        day = getattr(item, "date", None)
        if isinstance(day, date):
            _not_after_first_dose(day, f"{name}.{index}.date", first_dose)


def validate_screening(data: ScreeningData) -> None:
    """Raise ``InvalidInput`` for the first impossible value of ``data``; return None if valid.

    Checks: the four key dates in 1900..2100 and in order (birth <= consent <= first dose);
    every dated item not after the planned first dose; grades G1-G3, Ki-67 0-100, ECOG 0-5;
    lab analytes and units known (``ramunet.clinical.units``), amounts 0 <= x < 1e9, LLN <= ULN,
    ULN > 0 and present for every x ULN analyte (creatinine, AST, ALT, PTT); counts and doses not
    negative; childbearing potential only for women.
    """
    if not isinstance(data.sex, Sex):
        raise UnknownTerm("sex", data.sex, [sex.value for sex in Sex])
    first_dose = data.planned_first_dose_date
    for name in ("date_of_birth", "consent_date", "planned_first_dose_date"):
        check_date_range(getattr(data, name), name)
    if data.date_of_birth > data.consent_date:
        raise InvalidInput(
            "date_of_birth",
            f"must not be after consent_date {data.consent_date.isoformat()}",
            data.date_of_birth.isoformat(),
        )
    if data.consent_date > first_dose:
        raise InvalidInput(
            "consent_date",
            f"must not be after planned_first_dose_date {first_dose.isoformat()}",
            data.consent_date.isoformat(),
        )
    _validate_tumour_and_scores(data)
    _validate_labs(data)
    _validate_history(data)
    if data.sex is Sex.MALE and data.childbearing_potential is True:
        raise InvalidInput("childbearing_potential", "must not be true for sex 'male'", True)
    _dated(data.urine_dipsticks, "urine_dipsticks", first_dose)
    _dated(data.pregnancy_tests, "pregnancy_tests", first_dose)


def _validate_tumour_and_scores(data: ScreeningData) -> None:
    first_dose = data.planned_first_dose_date
    if data.tumour is not None:
        if data.tumour.grade not in GRADES:
            raise UnknownTerm("tumour.grade", data.tumour.grade, GRADES)
        ki67 = data.tumour.ki67_percent
        if ki67 is not None:
            if not Decimal(0) <= ki67 <= Decimal(100):
                raise InvalidInput("tumour.ki67_percent", "must be between 0 and 100", str(ki67))
            check_places(ki67, "tumour.ki67_percent")
    if data.imaging is not None:
        _not_after_first_dose(data.imaging.date, "imaging.date", first_dose)
    if data.ecog is not None:
        if data.ecog.value not in ECOG_RANGE:
            raise InvalidInput("ecog.value", "must be 0, 1, 2, 3, 4 or 5", data.ecog.value)
        _not_after_first_dose(data.ecog.date, "ecog.date", first_dose)
    for index, therapy in enumerate(data.prior_therapies or ()):
        path = f"prior_therapies.{index}"
        start, end = therapy.start_date, therapy.end_date
        if start is not None:
            _not_after_first_dose(start, f"{path}.start_date", first_dose)
        if end is not None:
            _not_after_first_dose(end, f"{path}.end_date", first_dose)
        if start is not None and end is not None and end < start:
            raise InvalidInput(
                f"{path}.end_date", f"must not be before start_date {start}", end.isoformat()
            )
    days = data.uncontrolled_hypertension_days
    if days is not None and days < 0:
        raise InvalidInput("uncontrolled_hypertension_days", "must not be negative", days)


def _validate_labs(data: ScreeningData) -> None:
    first_dose = data.planned_first_dose_date
    for index, lab in enumerate(data.labs):
        path = f"labs.{index}"
        analyte(lab.analyte, f"{path}.analyte").factor(lab.unit, f"{path}.unit")
        check_amount(lab.value, f"{path}.value")
        _not_after_first_dose(lab.date, f"{path}.date", first_dose)
        if lab.lln is not None:
            check_amount(lab.lln, f"{path}.lln")
        if lab.uln is not None:
            check_amount(lab.uln, f"{path}.uln")
            if lab.uln == 0:
                raise InvalidInput(f"{path}.uln", "must be greater than 0", str(lab.uln))
            if lab.lln is not None and lab.lln > lab.uln:
                raise InvalidInput(f"{path}.lln", f"must not exceed uln {lab.uln}", str(lab.lln))
        elif lab.analyte in ULN_ANALYTES:
            raise InvalidInput(f"{path}.uln", f"is required for the x ULN rule of {lab.analyte}")


def _validate_history(data: ScreeningData) -> None:
    first_dose = data.planned_first_dose_date
    for index, item in enumerate(data.medical_history or ()):
        path = f"medical_history.{index}"
        if item.date is None and not item.ongoing:
            raise InvalidInput(f"{path}.date", "is required unless the event is ongoing")
        if item.date is not None:
            _not_after_first_dose(item.date, f"{path}.date", first_dose)
    for index, malignancy in enumerate(data.other_malignancies or ()):
        since = malignancy.disease_free_since
        if since is not None:
            _not_after_first_dose(
                since, f"other_malignancies.{index}.disease_free_since", first_dose
            )
    for index, medication in enumerate(data.concomitant_medications or ()):
        if medication.daily_dose_mg is not None:
            check_amount(medication.daily_dose_mg, f"concomitant_medications.{index}.daily_dose_mg")
