"""The simulator's options are checked once, with the field, the value and the rule."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.simulate.config import SimulationConfig


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"patients": 0}, "patients 0: must lie between 1 and 9999"),
        ({"patients": 4.5}, "patients 4.5: must be a whole number"),
        ({"centres": 17}, "centres 17: must lie between 1 and 16"),
        ({"dc_probability": 1.5}, "dc_probability 1.5: must lie between 0.0 and 1.0"),
        ({"dc_probability": "high"}, "dc_probability 'high': must be a number"),
        ({"median_pfs_months": 0.5}, "median_pfs_months 0.5: must lie between 1 and 120 months"),
        ({"seed": -1}, "seed -1: must lie between 0 and 4294967295"),
        (
            {"patients": 1000, "centres": 1},
            "patients 1000: more than 999 per centre with 1 centres; add centres",
        ),
    ],
)
def test_bad_option_is_refused_naming_field_value_and_rule(options, message):
    with pytest.raises(InvalidInput) as error:
        SimulationConfig(**options)
    assert str(error.value) == message


def test_start_in_the_future_is_refused():
    config = SimulationConfig(start=dt.date(2026, 5, 1))
    with pytest.raises(InvalidInput) as error:
        config.start_on(dt.date(2026, 5, 1))
    assert str(error.value) == "start '2026-05-01': must lie before today (2026-05-01)"


def test_default_start_leaves_room_for_24_months_of_follow_up():
    start = SimulationConfig().start_on(dt.date(2026, 11, 24))
    assert start.day == 1
    assert (dt.date(2026, 11, 24) - start).days > 600 + 730


def test_cli_refuses_a_bad_option_before_touching_the_database():
    done = subprocess.run(
        [sys.executable, "-m", "ramunet.cli.main", "simulate", "--dc-probability", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "ramunet simulate: --dc-probability: dc_probability 2.0: must lie between 0.0 and 1.0"
    )
