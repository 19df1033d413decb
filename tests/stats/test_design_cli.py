"""``ramunet design ahern|simon`` on the command line."""

from __future__ import annotations

import json

import pytest
from scipy import stats

from ramunet.cli.main import main

RAMUNET_ARGS = ["--p0", "0.6", "--p1", "0.8", "--alpha", "0.05", "--beta", "0.1"]


def test_ahern_prints_the_ramunet_design(capsys):
    assert main(["design", "ahern", *RAMUNET_ARGS]) == 0
    out = capsys.readouterr().out
    assert "n = 45; reject H0 if at least r = 33 respond" in out
    assert "actual alpha 0.0446, actual power 0.9005" in out
    assert "stop for futility at 13 failures" in out


def test_ahern_table_lists_the_operating_characteristics(capsys):
    main(["design", "ahern", *RAMUNET_ARGS])
    out = capsys.readouterr().out
    assert "E[N] curtailed" in out
    assert "0.9005" in out  # P(reject H0) at p = 0.80


def test_ahern_json_holds_design_and_grid(capsys):
    assert main(["design", "ahern", *RAMUNET_ARGS, "--json", "--grid", "0.6,0.8"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["design"]["n"], payload["design"]["r"]) == (45, 33)
    rows = payload["operating_characteristics"]
    assert [row["p"] for row in rows] == [0.6, 0.8]
    assert rows[0]["rejection_probability"] == pytest.approx(0.04463, abs=1e-5)
    assert rows[1]["rejection_probability"] == pytest.approx(0.90055, abs=1e-5)
    assert rows[0]["expected_n_curtailed"] < 45


def test_ahern_default_grid_runs_from_p0_minus_to_p1_plus_a_tenth(capsys):
    main(["design", "ahern", *RAMUNET_ARGS, "--json"])
    rows = json.loads(capsys.readouterr().out)["operating_characteristics"]
    assert [row["p"] for row in rows] == [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]


def test_simon_prints_the_minimax_design(capsys):
    # Simon 1989, Table 1: 0.60 vs 0.80, alpha 0.05, beta 0.10, minimax 15/26, 32/45
    assert main(["design", "simon", *RAMUNET_ARGS, "--kind", "minimax"]) == 0
    out = capsys.readouterr().out
    assert "stage 1: 26 patients, stop if <= r1 = 15 respond" in out
    assert "total: 45 patients, reject H0 if > r = 32 respond" in out


def test_simon_json_holds_design_and_grid(capsys):
    args = ["design", "simon", "--p0", "0.1", "--p1", "0.3", "--beta", "0.2", "--json"]
    assert main([*args, "--grid", "0.1"]) == 0
    payload = json.loads(capsys.readouterr().out)
    design = payload["design"]
    # Simon 1989, Table 1: optimal 1/10, 5/29
    assert (design["r1"], design["n1"], design["r"], design["n"]) == (1, 10, 5, 29)
    assert payload["operating_characteristics"][0]["expected_n"] == pytest.approx(design["en0"])


def test_invalid_hypotheses_exit_2_with_the_message(capsys):
    assert main(["design", "ahern", "--p0", "0.8", "--p1", "0.6"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "ramunet design: p0 0.8: must be below p1 = 0.6 (H1 is a higher response rate)\n"
    )


def test_grid_outside_unit_interval_exits_2(capsys):
    assert main(["design", "ahern", *RAMUNET_ARGS, "--grid", "0.5,1.2"]) == 2
    err = capsys.readouterr().err
    assert err == "ramunet design: --grid '0.5,1.2': must list rates strictly between 0 and 1\n"


def test_grid_that_is_not_numbers_exits_2(capsys):
    assert main(["design", "ahern", *RAMUNET_ARGS, "--grid", "high"]) == 2
    assert "must be comma-separated numbers" in capsys.readouterr().err


def test_unknown_simon_kind_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["design", "simon", *RAMUNET_ARGS, "--kind", "admissible"])
    assert caught.value.code == 2
    assert "invalid choice: 'admissible'" in capsys.readouterr().err


def test_monitor_prints_the_interim_status(capsys):
    assert main(["design", "monitor", "--successes", "20", "--failures", "5"]) == 0
    out = capsys.readouterr().out
    assert "decision: open; 13 more successes reject H0, 8 more failures end the trial" in out
    assert "20 outcomes to come" in out


def test_monitor_json_reports_predictive_and_conditional_figures(capsys):
    args = ["design", "monitor", "--successes", "20", "--failures", "5", "--json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["status"]["decision"] == "open"
    assert payload["status"]["predictive_probability"] == pytest.approx(0.8886, abs=5e-5)
    # from 20/25: reject iff >= 13 of the 20 to come succeed
    under_p0 = payload["conditional"][0]
    assert under_p0["p"] == 0.6
    assert under_p0["conditional_rejection_probability"] == pytest.approx(
        stats.binom.sf(12, 20, 0.6), rel=1e-10
    )


def test_monitor_reports_futility_at_13_failures(capsys):
    main(["design", "monitor", "--successes", "10", "--failures", "13", "--json"])
    assert json.loads(capsys.readouterr().out)["status"]["decision"] == "do not reject H0"


def test_monitor_refuses_more_outcomes_than_patients(capsys):
    assert main(["design", "monitor", "--successes", "40", "--failures", "6"]) == 2
    err = capsys.readouterr().err
    assert err == "ramunet design: successes + failures 46: must not exceed n = 45\n"
