"""Build ``ScreeningData`` from a plain dict (what the EDC/API posts), validating it.

Dates are ``date`` objects or ISO strings (``YYYY-MM-DD``); numbers are ints, decimal strings or
floats (read via their decimal string); booleans are true/false; terms are the enum values of
``ramunet.protocol.screening``. An unknown key, a wrong type, an unknown term or unit, or an
impossible value raises ``InvalidInput`` naming the dotted field, e.g. ``labs.0.uln``. Keys may be
absent or null when not recorded (the criterion is then "data missing"), except the four keys
every candidate has: sex, date_of_birth, consent_date, planned_first_dose_date.

Example::

    {"sex": "female", "date_of_birth": "1961-04-30", "consent_date": "2026-03-02",
     "planned_first_dose_date": "2026-03-16",
     "labs": [{"analyte": "creatinine", "value": "0.9", "unit": "mg/dL",
               "date": "2026-03-09", "lln": "0.5", "uln": "1.1"}], ...}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NoReturn, TypeVar

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.units import to_decimal
from ramunet.protocol.screening import (
    Attestations,
    BaselineImaging,
    ChildPugh,
    Differentiation,
    Dipstick,
    DipstickResult,
    EcogScore,
    HistoryItem,
    HistoryKind,
    LabResult,
    LiverCirrhosis,
    MalignancyKind,
    Medication,
    MedicationCategory,
    OtherMalignancy,
    PregnancyResult,
    PregnancyTest,
    PregnancyTestType,
    PriorTherapy,
    ScreeningData,
    Sex,
    TherapyCategory,
    Tumour,
)
from ramunet.protocol.screening_validation import check_date_range, validate_screening

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class _Object:
    """A posted object at ``path``: checks its keys and reads typed fields."""

    def __init__(self, value: object, path: str, allowed: Sequence[str]) -> None:
        if not isinstance(value, Mapping):
            raise InvalidInput(
                path or "screening", f"must be an object, not {type(value).__name__}"
            )
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                raise InvalidInput(
                    self._join(path, str(key)),
                    f"not a recognised field; expected {', '.join(allowed)}",
                )
        self.value: Mapping[str, object] = value
        self.path = path

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def field(self, key: str) -> str:
        return self._join(self.path, key)

    def raw(self, key: str, required: bool = False) -> object:
        value = self.value.get(key)
        if value is None and required:
            raise InvalidInput(self.field(key), "is required")
        return value

    def day(self, key: str) -> date:
        return _date(self.raw(key, required=True), self.field(key))

    def opt_day(self, key: str) -> date | None:
        value = self.raw(key)
        return None if value is None else _date(value, self.field(key))

    def decimal(self, key: str) -> Decimal:
        return to_decimal(_number(self.raw(key, required=True), self.field(key)), self.field(key))

    def opt_decimal(self, key: str) -> Decimal | None:
        value = self.raw(key)
        if value is None:
            return None
        return to_decimal(_number(value, self.field(key)), self.field(key))

    def flag(self, key: str) -> bool:
        return _bool(self.raw(key, required=True), self.field(key))

    def opt_flag(self, key: str, default: bool | None = None) -> bool | None:
        value = self.raw(key)
        return default if value is None else _bool(value, self.field(key))

    def integer(self, key: str) -> int:
        return _int(self.raw(key, required=True), self.field(key))

    def opt_integer(self, key: str) -> int | None:
        value = self.raw(key)
        return None if value is None else _int(value, self.field(key))

    def text(self, key: str, default: str = "") -> str:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise InvalidInput(self.field(key), "must be text", value)
        return value.strip()

    def term(self, key: str, kind: type[E]) -> E:
        return _term(self.raw(key, required=True), self.field(key), kind)

    def opt_term(self, key: str, kind: type[E]) -> E | None:
        value = self.raw(key)
        return None if value is None else _term(value, self.field(key), kind)

    def items(self, key: str, parse: Callable[[object, str], T]) -> tuple[T, ...] | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise InvalidInput(self.field(key), f"must be a list, not {type(value).__name__}")
        return tuple(parse(item, f"{self.field(key)}.{index}") for index, item in enumerate(value))

    def child(self, key: str, parse: Callable[[object, str], T]) -> T | None:
        value = self.raw(key)
        return None if value is None else parse(value, self.field(key))


def _date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        raise InvalidInput(field, "must be a date without time (YYYY-MM-DD)", value.isoformat())
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(field, "is not a date; expected YYYY-MM-DD", value) from None
    else:
        raise InvalidInput(field, "is not a date; expected YYYY-MM-DD", value)
    check_date_range(day, field)
    return day


def _number(value: object, field: str) -> Decimal | int | float | str:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidInput(field, "must be a number", value)
    return value


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(field, "must be true or false", value)
    return value


def _int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, "must be a whole number", value)
    return value


def _term(value: object, field: str, kind: type[E]) -> E:
    allowed = [member.value for member in kind]
    if isinstance(value, str):
        for candidate in (value, value.strip(), value.strip().lower(), value.strip().upper()):
            if candidate in allowed:
                return kind(candidate)
    raise UnknownTerm(field, value, allowed)


def _tumour(value: object, path: str) -> Tumour:
    obj = _Object(value, path, _TUMOUR_KEYS)
    return Tumour(
        histologically_confirmed=obj.flag("histologically_confirmed"),
        primary_site=obj.text("primary_site") or _required(obj, "primary_site"),
        differentiation=obj.term("differentiation", Differentiation),
        grade=obj.text("grade").upper() or _required(obj, "grade"),
        metastatic=obj.flag("metastatic"),
        resectable=obj.flag("resectable"),
        functional=obj.opt_flag("functional"),
        ki67_percent=obj.opt_decimal("ki67_percent"),
    )


def _required(obj: _Object, key: str) -> NoReturn:
    raise InvalidInput(obj.field(key), "is required")


_TUMOUR_KEYS = (
    "histologically_confirmed", "primary_site", "differentiation", "grade", "metastatic",
    "resectable", "functional", "ki67_percent",
)  # fmt: skip


def _imaging(value: object, path: str) -> BaselineImaging:
    obj = _Object(value, path, ("date", "measurable_disease"))
    return BaselineImaging(obj.day("date"), obj.flag("measurable_disease"))


def _therapy(value: object, path: str) -> PriorTherapy:
    obj = _Object(value, path, ("category", "agent", "start_date", "end_date", "progression"))
    return PriorTherapy(
        category=obj.term("category", TherapyCategory),
        agent=obj.text("agent"),
        start_date=obj.opt_day("start_date"),
        end_date=obj.opt_day("end_date"),
        progression=obj.flag("progression"),
    )


def _ecog(value: object, path: str) -> EcogScore:
    obj = _Object(value, path, ("value", "date"))
    return EcogScore(obj.integer("value"), obj.day("date"))


def _lab(value: object, path: str) -> LabResult:
    obj = _Object(value, path, ("analyte", "value", "unit", "date", "lln", "uln"))
    return LabResult(
        analyte=obj.text("analyte") or _required(obj, "analyte"),
        value=obj.decimal("value"),
        unit=obj.text("unit") or _required(obj, "unit"),
        date=obj.day("date"),
        lln=obj.opt_decimal("lln"),
        uln=obj.opt_decimal("uln"),
    )


def _dipstick(value: object, path: str) -> DipstickResult:
    obj = _Object(value, path, ("result", "date"))
    return DipstickResult(obj.term("result", Dipstick), obj.day("date"))


def _history(value: object, path: str) -> HistoryItem:
    obj = _Object(value, path, ("kind", "date", "ongoing", "term"))
    return HistoryItem(
        kind=obj.term("kind", HistoryKind),
        date=obj.opt_day("date"),
        ongoing=bool(obj.opt_flag("ongoing", False)),
        term=obj.text("term"),
    )


def _malignancy(value: object, path: str) -> OtherMalignancy:
    obj = _Object(value, path, ("kind", "disease_free_since", "term"))
    return OtherMalignancy(
        obj.term("kind", MalignancyKind), obj.opt_day("disease_free_since"), obj.text("term")
    )


def _cirrhosis(value: object, path: str) -> LiverCirrhosis:
    keys = ("present", "child_pugh", "hepatic_encephalopathy", "ascites_requiring_treatment")
    obj = _Object(value, path, keys)
    return LiverCirrhosis(
        present=obj.flag("present"),
        child_pugh=obj.opt_term("child_pugh", ChildPugh),
        hepatic_encephalopathy=bool(obj.opt_flag("hepatic_encephalopathy", False)),
        ascites_requiring_treatment=bool(obj.opt_flag("ascites_requiring_treatment", False)),
    )


def _medication(value: object, path: str) -> Medication:
    obj = _Object(value, path, ("name", "category", "daily_dose_mg", "chronic"))
    return Medication(
        name=obj.text("name") or _required(obj, "name"),
        category=obj.term("category", MedicationCategory),
        daily_dose_mg=obj.opt_decimal("daily_dose_mg"),
        chronic=bool(obj.opt_flag("chronic", True)),
    )


def _pregnancy_test(value: object, path: str) -> PregnancyTest:
    obj = _Object(value, path, ("type", "result", "date"))
    return PregnancyTest(
        obj.term("type", PregnancyTestType), obj.term("result", PregnancyResult), obj.day("date")
    )


_ATTESTATION_KEYS = (
    "life_expectancy_over_12_weeks", "contraception_adequate", "able_to_consent",
    "uncontrolled_severe_disorder", "bleeding_risk_condition", "perforation_risk_factors",
    "planned_major_surgery",
)  # fmt: skip


def _attestations(value: object, path: str) -> Attestations:
    obj = _Object(value, path, _ATTESTATION_KEYS)
    return Attestations(**{key: obj.opt_flag(key) for key in _ATTESTATION_KEYS})


SCREENING_KEYS: tuple[str, ...] = (
    "sex", "date_of_birth", "consent_date", "planned_first_dose_date", "tumour", "imaging",
    "prior_therapies", "ecog", "labs", "urine_dipsticks", "liver_metastases",
    "therapeutic_anticoagulation", "medical_history", "other_malignancies", "liver_cirrhosis",
    "uncontrolled_hypertension_days", "allergy_to_study_drugs", "concomitant_medications",
    "childbearing_potential", "lactating", "pregnancy_tests", "attestations",
)  # fmt: skip


def screening_from_dict(payload: object) -> ScreeningData:
    """Parse and validate a posted screening record; raise ``InvalidInput`` naming the field.

    Parameters
    ----------
    payload
        A mapping with the keys of ``SCREENING_KEYS`` (see the module docstring).

    Returns
    -------
    ScreeningData
        Validated with ``validate_screening``.
    """
    obj = _Object(payload, "", SCREENING_KEYS)
    data = ScreeningData(
        sex=obj.term("sex", Sex),
        date_of_birth=obj.day("date_of_birth"),
        consent_date=obj.day("consent_date"),
        planned_first_dose_date=obj.day("planned_first_dose_date"),
        tumour=obj.child("tumour", _tumour),
        imaging=obj.child("imaging", _imaging),
        prior_therapies=obj.items("prior_therapies", _therapy),
        ecog=obj.child("ecog", _ecog),
        labs=obj.items("labs", _lab) or (),
        urine_dipsticks=obj.items("urine_dipsticks", _dipstick) or (),
        liver_metastases=obj.opt_flag("liver_metastases"),
        therapeutic_anticoagulation=obj.opt_flag("therapeutic_anticoagulation"),
        medical_history=obj.items("medical_history", _history),
        other_malignancies=obj.items("other_malignancies", _malignancy),
        liver_cirrhosis=obj.child("liver_cirrhosis", _cirrhosis),
        uncontrolled_hypertension_days=obj.opt_integer("uncontrolled_hypertension_days"),
        allergy_to_study_drugs=obj.opt_flag("allergy_to_study_drugs"),
        concomitant_medications=obj.items("concomitant_medications", _medication),
        childbearing_potential=obj.opt_flag("childbearing_potential"),
        lactating=obj.opt_flag("lactating"),
        pregnancy_tests=obj.items("pregnancy_tests", _pregnancy_test) or (),
        attestations=obj.child("attestations", _attestations) or Attestations(),
    )
    validate_screening(data)
    return data
