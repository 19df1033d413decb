"""CgA biochemical response (clinical-rules.md §5 defaults: > ULN, <= -50%, >= +25%)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.biochemical import CgaSettings, cga_response_rates, classify_cga

DEFAULT = CgaSettings()


def category(baseline: str, values: list[str], uln: str = "100") -> str:
    return classify_cga(Decimal(baseline), Decimal(uln), [Decimal(v) for v in values], DEFAULT)


def test_fall_of_exactly_50_percent_is_response():
    assert category("300", ["150"]) == "response"


def test_fall_just_under_50_percent_is_stable():
    assert category("300", ["150.01"]) == "stable"


def test_rise_of_exactly_25_percent_is_progression():
    assert category("300", ["375"]) == "progression"


def test_rise_just_under_25_percent_is_stable():
    assert category("300", ["374.99"]) == "stable"


def test_response_at_any_measurement_wins_over_later_rise():
    assert category("300", ["140", "400"]) == "response"


def test_baseline_equal_to_uln_is_not_elevated():
    assert category("100", ["10"]) == "not elevated"


def test_baseline_just_above_uln_is_assessed():
    assert category("100.1", ["50"]) == "response"


def test_elevated_patient_without_follow_up_is_not_evaluable():
    assert category("300", []) == "not evaluable"


def test_thresholds_compare_exactly_in_decimal():
    # 0.3 x (100 - 50) / 100 = 0.15 exactly; in binary floats 0.15 * 100 > 0.3 * 50
    assert category("0.3", ["0.15"], uln="0.1") == "response"


def test_custom_thresholds_apply():
    settings = CgaSettings(response_fall_percent=Decimal("30"))
    assert classify_cga(Decimal(300), Decimal(100), [Decimal(210)], settings) == "response"


SERIES = [
    ("P01", 400, 100, [150, 120]),  # response
    ("P02", 400, 100, [520]),  # progression (+30%)
    ("P03", 400, 100, [380]),  # stable
    ("P04", 90, 100, [20]),  # not elevated: excluded
    ("P05", 250, 100, []),  # not evaluable: non-responder in denominator
]


def test_rates_use_patients_with_elevated_baseline():
    summary = cga_response_rates(SERIES)
    assert (summary.n_elevated, summary.response.x, summary.response.n) == (4, 1, 4)
    assert summary.progression.x == 1


def test_rate_interval_equals_r_binom_test():
    summary = cga_response_rates(SERIES)
    # R: binom.test(1, 4)$conf.int (summaries_reference.csv, cga_lower/cga_upper)
    assert summary.response.lower == pytest.approx(0.00630946320970987, abs=1e-9)
    assert summary.response.upper == pytest.approx(0.805879550316757, abs=1e-9)


def test_no_elevated_baseline_gives_no_rate():
    summary = cga_response_rates([("P01", 50, 100, [20])])
    assert (summary.response, summary.progression) == (None, None)


def test_negative_value_is_refused_with_its_position():
    with pytest.raises(InvalidInput) as caught:
        cga_response_rates([("P01", 400, 100, [150, -1])])
    assert str(caught.value) == "series[0].values[1] -1: must be >= 0"


def test_zero_uln_is_refused():
    with pytest.raises(InvalidInput) as caught:
        cga_response_rates([("P01", 400, 0, [])])
    assert str(caught.value) == "series[0].uln 0: must be > 0"


def test_non_number_is_refused():
    with pytest.raises(InvalidInput) as caught:
        cga_response_rates([("P01", "high", 100, [])])
    assert str(caught.value) == "series[0].baseline 'high': is not a number"
