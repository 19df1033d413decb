"""Biochemical (CgA) response: thresholds and their exact edges (clinical-rules.md §5;
PROTOCOL-NOTES.md "Endpoints": response >= 50% decrease, progression >= 25% increase)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramunet.clinical.biochemical import (
    BiochemicalCategory,
    BiochemicalSettings,
    biochemical_response,
)
from ramunet.clinical.errors import InvalidInput, UnknownUnit

RESPONSE = BiochemicalCategory.RESPONSE
STABLE = BiochemicalCategory.STABLE
PROGRESSION = BiochemicalCategory.PROGRESSION


def category(baseline: str, value: str, **kwargs: object) -> BiochemicalCategory:
    kwargs.setdefault("uln", "100")
    return biochemical_response(baseline, value, **kwargs).category  # type: ignore[arg-type]


def test_exactly_50_percent_decrease_is_response():
    # 300 -> 150 ng/mL: -50%
    assert category("300", "150") is RESPONSE


def test_49_9_percent_decrease_is_stable():
    # 300 -> 150.3: -49.9%
    assert category("300", "150.3") is STABLE


def test_exactly_25_percent_increase_is_progression():
    # 300 -> 375: +25%
    assert category("300", "375") is PROGRESSION


def test_24_9_percent_increase_is_stable():
    # 300 -> 374.7: +24.9%
    assert category("300", "374.7") is STABLE


def test_edges_compare_exactly_where_binary_floats_would_not():
    # 0.3 -> 0.15 is exactly -50% in decimal; 0.15 - 0.3 in binary floats is not -0.15
    assert category("0.3", "0.15", uln="0.1") is RESPONSE


def test_change_and_percent_are_reported():
    result = biochemical_response("300", "150", uln="100")
    assert result.change == Decimal(-150)
    assert result.change_pct == Decimal("-50.0")
    assert result.reason == "300 -> 150 ng/mL (-50.0%): decrease >= 50%"


def test_baseline_not_above_uln_is_not_evaluable():
    result = biochemical_response("100", "20", uln="100")
    assert result.category is BiochemicalCategory.NOT_EVALUABLE
    assert result.reason == "baseline 100 ng/mL not above 1 x ULN 100 ng/mL"


def test_baseline_just_above_uln_is_evaluable():
    assert category("100.1", "20") is RESPONSE


def test_uln_multiple_is_a_setting():
    settings = BiochemicalSettings(baseline_uln_multiple=Decimal(2))
    assert category("200", "20", settings=settings) is BiochemicalCategory.NOT_EVALUABLE
    assert category("201", "20", settings=settings) is RESPONSE


def test_no_elevated_baseline_rule_needs_no_uln():
    settings = BiochemicalSettings(baseline_uln_multiple=None)
    result = biochemical_response("50", "80", settings=settings)
    assert result.category is PROGRESSION


def test_thresholds_are_settings():
    settings = BiochemicalSettings(response_decrease_pct=Decimal(30), progression_increase_pct=50)  # type: ignore[arg-type]
    assert category("300", "210", settings=settings) is RESPONSE
    assert category("300", "449", settings=settings) is STABLE
    assert category("300", "450", settings=settings) is PROGRESSION


def test_units_are_converted_for_chromogranin_a():
    # 1 ug/L = 1 ng/mL
    assert category("300", "150", baseline_unit="ug/L", unit="ng/mL") is RESPONSE


def test_specific_hormone_keeps_its_unit():
    result = biochemical_response("400", "100", unit="pg/mL", uln="100", marker="gastrin")
    assert result.category is RESPONSE
    assert result.unit == "pg/mL"


def test_specific_hormone_with_two_units_is_refused():
    with pytest.raises(InvalidInput) as caught:
        biochemical_response(
            "4", "100", unit="pg/mL", baseline_unit="ng/mL", uln="100", marker="gastrin"
        )
    assert str(caught.value) == (
        "baseline_unit 'ng/mL': must equal unit 'pg/mL': no conversion is known for marker "
        "'gastrin'"
    )


def test_unknown_unit_is_refused():
    with pytest.raises(UnknownUnit) as caught:
        biochemical_response("300", "150", unit="nmol/L", uln="100")
    assert str(caught.value) == "unit 'nmol/L': unit not recognised; expected one of ng/mL, ug/L"


def test_zero_baseline_is_refused():
    with pytest.raises(InvalidInput, match=r"^baseline_value '0': must be positive$"):
        biochemical_response("0", "150", uln="100")


def test_negative_value_is_refused():
    with pytest.raises(InvalidInput, match=r"^value '-1': must not be negative$"):
        biochemical_response("300", "-1", uln="100")


def test_missing_uln_is_refused_when_baseline_must_be_elevated():
    with pytest.raises(InvalidInput) as caught:
        biochemical_response("300", "150")
    assert str(caught.value) == (
        "uln: required when settings.baseline_uln_multiple is set (baseline > ULN rule)"
    )


@given(
    baseline=st.decimals(min_value="100.1", max_value=100000, places=1),
    value=st.decimals(min_value=0, max_value=100000, places=1),
)
def test_category_agrees_with_the_percent_change(baseline, value):
    result = biochemical_response(baseline, value, uln=100)
    exact = (value - baseline) * 100 / baseline
    expected = RESPONSE if exact <= -50 else PROGRESSION if exact >= 25 else STABLE
    assert result.category is expected


@given(value=st.one_of(st.text(alphabet="xyz", min_size=1), st.decimals(max_value="-0.1")))
def test_invalid_value_names_the_field(value):
    with pytest.raises(InvalidInput) as caught:
        biochemical_response("300", value, uln=100)
    assert caught.value.field == "value"
