"""The result of CTCAE v5.0 grading and the helpers every grader shares.

References
----------
U.S. DHHS/NIH/NCI, CTCAE v5.0 (27 Nov 2017); clinical-rules.md §2.1 (grades), §2.10 (register).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ramunet.clinical.ctcae_criteria import LabTerm
from ramunet.clinical.errors import InvalidInput, UnknownUnit
from ramunet.clinical.units import analyte, normalise_unit, to_decimal

_SHOWN_UNIT = {"10^9/L": "x10^9/L", "10^3/uL": "x10^3/uL"}


@dataclass(frozen=True)
class Grade:
    """A CTCAE v5.0 grade with the rule that gave it and the inputs it was given.

    ``rule`` reads like ``"ANC 0.8 x10^9/L: <1.0-0.5 x10^9/L -> grade 3"``. ``flags`` lists the
    readings of the ambiguity register applied (clinical-rules.md §2.10), for review.
    """

    term: str
    grade: int
    rule: str
    value: Decimal | str | tuple[Decimal, Decimal]
    unit: str
    lln: Decimal | None = None
    uln: Decimal | None = None
    baseline: Decimal | None = None
    flags: tuple[str, ...] = field(default=())

    def is_at_least(self, grade: int) -> bool:
        """Whether this grade reaches ``grade`` (e.g. 3 for "grade 3 or worse")."""
        return self.grade >= grade


def shown_unit(unit: str) -> str:
    return _SHOWN_UNIT.get(unit, unit)


def plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 1.80 -> 1.8, 1.5E+3 -> 1500."""
    return format(number.normalize(), "f")


def term_unit(spec: LabTerm, unit: object, field_name: str = "unit") -> str:
    """The unit folded to ramunet's spelling, or ``UnknownUnit`` listing the term's units."""
    allowed = (*(analyte(spec.analyte).units if spec.analyte else ()), *spec.extra_units)
    if isinstance(unit, str):
        folded = normalise_unit(unit)
        for known in allowed:
            if known.casefold() == folded.casefold():
                return known
    raise UnknownUnit(field_name, unit, allowed)


def non_negative(value: object, name: str) -> Decimal:
    amount = to_decimal(value, name)  # type: ignore[arg-type]
    if amount < 0:
        raise InvalidInput(name, "must be >= 0", value)
    return amount


def positive(value: object, name: str) -> Decimal:
    amount = to_decimal(value, name)  # type: ignore[arg-type]
    if amount <= 0:
        raise InvalidInput(name, "must be > 0", value)
    return amount


def make_grade(
    spec: LabTerm,
    grade_: int,
    shown_value: str,
    criterion: str,
    value: Decimal | str | tuple[Decimal, Decimal],
    unit: str,
    inputs: dict[str, Decimal | None],
    flags: tuple[str, ...] = (),
) -> Grade:
    return Grade(
        term=spec.term,
        grade=grade_,
        rule=f"{spec.label} {shown_value}: {criterion} -> grade {grade_}",
        value=value,
        unit=unit,
        flags=flags,
        **inputs,
    )
