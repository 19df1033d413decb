"""The protocol as data: criteria catalogue, regimen, endpoints, design, errata, settings."""

import math
import re
from dataclasses import FrozenInstanceError
from decimal import Decimal
from pathlib import Path

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.protocol.criteria import CRITERIA, EXCLUSION, INCLUSION, CriterionKind, criterion
from ramunet.protocol.eligibility import RULES
from ramunet.protocol.endpoints import DESIGN, EndpointRole
from ramunet.protocol.errata import ERRATA, erratum
from ramunet.protocol.regimen import DACARBAZINE, RAMUCIRUMAB, REGIMEN, DoseBasis
from ramunet.protocol.settings import ProtocolSettings
from ramunet.protocol.study import PROTOCOL, load_protocol

PROTOCOL_TEXT = Path("/work/shared/protocol/ramunet-protocol.txt")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("-\n", ""))


def test_inclusion_ids_in_protocol_order():
    assert [item.id for item in INCLUSION] == [f"IN{n:02d}" for n in range(1, 15)]


def test_exclusion_ids_in_protocol_order():
    assert [item.id for item in EXCLUSION] == [f"EX{n:02d}" for n in range(1, 17)]


def test_every_criterion_has_a_rule():
    assert sorted(RULES) == sorted(item.id for item in CRITERIA)


@pytest.mark.skipif(not PROTOCOL_TEXT.exists(), reason="shared protocol text not mounted")
@pytest.mark.parametrize("item", CRITERIA, ids=lambda item: item.id)
def test_criterion_text_quotes_the_protocol(item):
    assert _squash(item.text) in _squash(PROTOCOL_TEXT.read_text())


def test_in11_kept_but_not_applied():
    in11 = criterion("IN11")
    assert (in11.applied, in11.erratum, in11.label) == (
        False,
        "E01",
        "High bleeding-risk condition present (erratum: not applied)",
    )


def test_bleeding_risk_is_exclusion_ex12():
    assert criterion("EX12").text == criterion("IN11").text
    assert criterion("EX12").applied


def test_attestation_criteria():
    attested = [item.id for item in CRITERIA if item.kind is CriterionKind.ATTESTATION]
    assert attested == ["IN06", "IN11", "IN12", "IN14", "EX11", "EX12", "EX15"]


def test_unknown_criterion_id_message():
    with pytest.raises(UnknownTerm) as error:
        criterion("IN15")
    assert (
        str(error.value) == "criterion_id 'IN15': not recognised; expected IN01..IN14, EX01..EX16"
    )


def test_every_referenced_erratum_exists():
    referenced = {item.erratum for item in CRITERIA if item.erratum}
    assert referenced <= {item.id for item in ERRATA}


def test_errata_ids_are_sequential():
    assert [item.id for item in ERRATA] == [f"E{n:02d}" for n in range(1, len(ERRATA) + 1)]


def test_unknown_erratum_message():
    with pytest.raises(UnknownTerm, match=r"^erratum_id 'E99': not recognised; expected E01, "):
        erratum("E99")


@pytest.mark.parametrize(
    ("topic", "erratum_id"),
    [
        ("Bleeding-risk condition in both lists", "E01"),
        ("'Before randomization' in a single-arm trial", "E02"),
        ("Three recruitment plans", "E03"),
        ("Table 1 (schedule of assessments) lost", "E04"),
        ("Contraception: Pearl Index < 1 vs barrier methods", "E05"),
        ("Prior temozolomide not addressed", "E06"),
    ],
)
def test_notes_errata_are_listed(topic, erratum_id):
    assert erratum(erratum_id).title == topic


def test_ramucirumab_dose():
    # protocol "Study treatment": 8 mg/kg i.v. over 60 min on days 1 and 15, before DTIC
    assert (RAMUCIRUMAB.dose, RAMUCIRUMAB.dose_unit, RAMUCIRUMAB.basis) == (
        Decimal(8),
        "mg/kg",
        DoseBasis.ACTUAL_BODY_WEIGHT,
    )
    assert (RAMUCIRUMAB.infusion_minutes, RAMUCIRUMAB.cycle_days) == (60, (1, 15))


def test_dacarbazine_dose():
    # protocol "Study treatment": 650 mg/m2 i.v. over 30 min on day 1
    assert (DACARBAZINE.dose, DACARBAZINE.dose_unit, DACARBAZINE.basis) == (
        Decimal(650),
        "mg/m2",
        DoseBasis.BODY_SURFACE_AREA,
    )
    assert (DACARBAZINE.infusion_minutes, DACARBAZINE.cycle_days) == (30, (1,))


def test_ramucirumab_given_before_dacarbazine_on_day_1():
    assert REGIMEN.drugs_on_cycle_day(1) == (RAMUCIRUMAB, DACARBAZINE)


def test_only_ramucirumab_on_day_15():
    assert REGIMEN.drugs_on_cycle_day(15) == (RAMUCIRUMAB,)


def test_protocol_treatment_is_six_28_day_cycles():
    assert (REGIMEN.cycle_length_days, REGIMEN.protocol_cycles) == (28, 6)
    assert REGIMEN.protocol_treatment_days == 168


def test_design_figures():
    assert (DESIGN.p0, DESIGN.p1, DESIGN.alpha, DESIGN.beta, DESIGN.n, DESIGN.r) == (
        Decimal("0.60"),
        Decimal("0.80"),
        Decimal("0.05"),
        Decimal("0.10"),
        45,
        33,
    )


def _upper_tail(n: int, r: int, p: float) -> float:
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(r, n + 1))


def test_design_actual_alpha_and_power_match_exact_binomial():
    # A'Hern 2001 exact single-stage design; PROTOCOL-NOTES: alpha ~0.0446, power ~0.9005
    alpha = _upper_tail(45, 33, 0.60)
    power = _upper_tail(45, 33, 0.80)
    assert round(alpha, 4) == float(DESIGN.actual_alpha)
    assert round(power, 4) == float(DESIGN.actual_power)


def test_r_32_would_exceed_alpha():
    assert _upper_tail(45, 32, 0.60) > 0.05


def test_month6_window_is_day_154_to_182():
    assert PROTOCOL.settings.month6_window == (154, 182)


def test_one_primary_endpoint_disease_control():
    primary = [item for item in PROTOCOL.endpoints if item.role is EndpointRole.PRIMARY]
    assert [item.code for item in primary] == ["DC6"]
    assert "day 154..182" in primary[0].definition


def test_protocol_version_01():
    assert (PROTOCOL.version, PROTOCOL.eudract) == ("01", "2017-001207-68")


def test_settings_are_immutable():
    with pytest.raises(FrozenInstanceError):
        PROTOCOL.settings.age_max_years = 80  # type: ignore[misc]


def test_amendment_changes_data_not_code():
    amended = load_protocol(ProtocolSettings(month6_window_days=21, protocol_cycles=8))
    assert amended.settings.month6_window == (147, 189)
    assert amended.regimen.protocol_cycles == 8
    assert "C8D15" in [visit.code for visit in amended.visits]


def test_settings_refuse_age_limits_in_wrong_order():
    with pytest.raises(InvalidInput) as error:
        ProtocolSettings(age_min_years=18, age_max_years=17)
    assert str(error.value) == "age_max_years 17: must be >= age_min_years 18 (and both >= 0)"


def test_settings_refuse_unknown_grade():
    with pytest.raises(UnknownTerm) as error:
        ProtocolSettings(allowed_grades=("G1", "G4"))
    assert str(error.value) == "allowed_grades ('G1', 'G4'): not recognised; expected G1, G2, G3"


def test_settings_refuse_unknown_dipstick_limit():
    with pytest.raises(UnknownTerm) as error:
        ProtocolSettings(dipstick_max_without_24h="5+")
    assert str(error.value) == (
        "dipstick_max_without_24h '5+': not recognised; expected negative, trace, 1+, 2+, 3+, 4+"
    )


def test_settings_refuse_zero_cycles():
    with pytest.raises(InvalidInput) as error:
        ProtocolSettings(protocol_cycles=0)
    assert str(error.value) == "protocol_cycles 0: must be a whole number >= 1"
