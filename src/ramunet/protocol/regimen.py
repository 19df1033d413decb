"""Study treatment: ramucirumab + dacarbazine every 28 days, 6 protocol cycles.

Source: RamuNET protocol, "Study treatment" and "Conduct of the trial"; PROTOCOL-NOTES.md,
"Treatment"; clinical-rules.md §4.2-§4.3. Dose arithmetic (BSA, mg/kg, rounding) lives in
``ramunet.clinical.dosing``; this module states what the protocol prescribes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings


class DoseBasis(StrEnum):
    ACTUAL_BODY_WEIGHT = "actual body weight"  # dose in mg/kg
    BODY_SURFACE_AREA = "body surface area"  # dose in mg/m2


@dataclass(frozen=True)
class Drug:
    """One study drug as the protocol gives it.

    ``cycle_days`` are days of the cycle (day 1 = the cycle's first day); ``order`` is the order of
    administration on a day both drugs are given (1 first).
    """

    code: str
    name: str
    dose: Decimal
    dose_unit: str
    basis: DoseBasis
    route: str
    infusion_minutes: int
    cycle_days: tuple[int, ...]
    order: int


RAMUCIRUMAB = Drug(
    "RAM",
    "ramucirumab",
    Decimal(8),
    "mg/kg",
    DoseBasis.ACTUAL_BODY_WEIGHT,
    "i.v.",
    60,
    (1, 15),
    1,
)
DACARBAZINE = Drug(
    "DTIC",
    "dacarbazine",
    Decimal(650),
    "mg/m2",
    DoseBasis.BODY_SURFACE_AREA,
    "i.v.",
    30,
    (1,),
    2,
)


@dataclass(frozen=True)
class Regimen:
    """The regimen: drugs, cycle length, protocol cycles and the continuation rule."""

    drugs: tuple[Drug, ...]
    cycle_length_days: int
    protocol_cycles: int
    continuation_rule: str
    sequence_rule: str
    bsa_formula: str
    weight_change_recalculation_percent: Decimal

    def drugs_on_cycle_day(self, cycle_day: int) -> tuple[Drug, ...]:
        """Drugs given on this day of a cycle, in order of administration."""
        given = [drug for drug in self.drugs if cycle_day in drug.cycle_days]
        return tuple(sorted(given, key=lambda drug: drug.order))

    @property
    def protocol_treatment_days(self) -> int:
        """Length of the protocol treatment in days (6 x 28 = 168)."""
        return self.cycle_length_days * self.protocol_cycles


def build_regimen(settings: ProtocolSettings = DEFAULT_SETTINGS) -> Regimen:
    """The RamuNET regimen with the cycle settings of ``settings``."""
    return Regimen(
        drugs=(RAMUCIRUMAB, DACARBAZINE),
        cycle_length_days=settings.cycle_length_days,
        protocol_cycles=settings.protocol_cycles,
        continuation_rule=(
            f"{settings.protocol_cycles} cycles form the protocol treatment; patients stable "
            "after month 6 may continue until progression or unacceptable toxicity"
        ),
        sequence_rule="ramucirumab (60 min) is given before dacarbazine (30 min) on day 1",
        bsa_formula="Mosteller (DuBois if the site configures it); no BSA cap by default",
        weight_change_recalculation_percent=settings.weight_change_recalculation_percent,
    )


REGIMEN = build_regimen()
