"""``ramunet protocol``: readable summary with rich tables, and ``--json`` for machines."""

import argparse
import json

import pytest

from ramunet.cli import protocol_cmd
from ramunet.protocol.errata import ERRATA


def run(capsys, *argv: str) -> str:
    parser = argparse.ArgumentParser(prog="ramunet")
    protocol_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["protocol", *argv])
    assert args.func(args) == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "240")


def test_summary_lists_every_erratum_with_its_reading(capsys):
    out = run(capsys)
    for item in ERRATA:
        assert item.id in out and item.title in out
    assert "Exclusion only (EX12). IN11 stays in the list, marked 'erratum: not applied'." in out


def test_summary_shows_regimen_schedule_criteria_and_design(capsys):
    out = run(capsys)
    assert "ramucirumab" in out and "8 mg/kg" in out and "650 mg/m2" in out
    assert "C6D15" in out and "M24" in out and "-28/+0 d" in out
    assert "IN11" in out and "(erratum: not applied)" in out and "EX16" in out
    assert "45 / 33" in out and "day 154..182" in out


def test_json_output(capsys):
    data = json.loads(run(capsys, "--json"))
    assert data["version"] == "01"
    assert [item["id"] for item in data["errata"]] == [item.id for item in ERRATA]
    assert len(data["criteria"]) == 30
    assert data["design"]["r"] == 33 and data["design"]["p0"] == "0.60"
    assert data["settings"]["month6_target_day"] == 168


def test_json_marks_in11_not_applied(capsys):
    data = json.loads(run(capsys, "--json"))
    in11 = next(item for item in data["criteria"] if item["id"] == "IN11")
    assert (in11["applied"], in11["erratum"]) == (False, "E01")


def test_registered_in_main_command():
    from ramunet.cli.main import SUBCOMMAND_MODULES

    assert "ramunet.cli.protocol_cmd" in SUBCOMMAND_MODULES
