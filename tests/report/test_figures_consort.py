"""CONSORT-style flow diagram: the boxes show the counts, and inconsistent counts are refused."""

from __future__ import annotations

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.consort import ConsortCounts, make_consort_figure, plot_consort
from ramunet.report.figures.save import figure_bytes


def flow(**overrides) -> ConsortCounts:
    values = {
        "screened": 58,
        "screening_failures": {"Neutrophils <= 1500/mm3": 8, "Prior dacarbazine": 5},
        "registered": 45,
        "treated": 44,
        "evaluable_primary": 42,
        "discontinued": {"Progressive disease": 18, "Toxicity": 6},
    }
    return ConsortCounts(**{**values, **overrides})


def box_text(ax, box: str) -> str:
    (text,) = [text for text in ax.texts if text.get_gid() == f"consort-{box}"]
    return text.get_text().replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("screened", "Screened (n = 58)"),
        ("registered", "Registered (n = 45)"),
        ("not-treated", "Registered, not treated (n = 1)"),
        ("treated", "Treated (at least one dose) (n = 44)"),
        ("evaluable", "Evaluable for disease control at 6 months (n = 42)"),
        ("not-evaluable", "Not evaluable for the primary endpoint (n = 2)"),
    ],
)
def test_box_shows_its_count(ax, box, expected):
    plot_consort(ax, flow())
    assert box_text(ax, box).replace("\n", " ") == expected


def test_screening_failures_box_lists_each_reason_with_its_count(ax):
    plot_consort(ax, flow())
    assert box_text(ax, "screening-failures").split("\n") == [
        "Screening failures (n = 13)",
        "\u2022 Neutrophils <= 1500/mm3 (n = 8)",
        "\u2022 Prior dacarbazine (n = 5)",
    ]


def test_discontinued_box_lists_each_reason_with_its_count(ax):
    plot_consort(ax, flow())
    assert box_text(ax, "discontinued").split("\n") == [
        "Discontinued treatment (n = 24)",
        "\u2022 Progressive disease (n = 18)",
        "\u2022 Toxicity (n = 6)",
    ]


def test_every_registered_patient_treated_is_accepted(ax):
    plot_consort(ax, flow(treated=45, evaluable_primary=45))
    assert box_text(ax, "not-treated") == "Registered, not treated (n = 0)"


def test_registered_must_equal_screened_minus_failures():
    with pytest.raises(InvalidInput) as error:
        flow(registered=44)
    assert str(error.value) == (
        "registered 44: must equal screened (58) minus screening failures (13)"
    )


def test_more_treated_than_registered_is_refused():
    with pytest.raises(InvalidInput) as error:
        flow(treated=46)
    assert str(error.value) == "treated 46: must not exceed registered (45)"


def test_more_evaluable_than_treated_is_refused():
    with pytest.raises(InvalidInput) as error:
        flow(evaluable_primary=45)
    assert str(error.value) == "evaluable_primary 45: must not exceed treated (44)"


def test_more_discontinued_than_treated_is_refused():
    with pytest.raises(InvalidInput) as error:
        flow(discontinued={"Progressive disease": 40, "Toxicity": 5})
    assert str(error.value) == "discontinued: adds up to 45; must not exceed treated (44)"


def test_negative_reason_count_is_refused():
    with pytest.raises(InvalidInput) as error:
        flow(discontinued={"Toxicity": -1})
    assert str(error.value) == "discontinued['Toxicity'] -1: must be a whole number >= 0"


def test_fractional_count_is_refused():
    with pytest.raises(InvalidInput) as error:
        flow(screened=58.0)
    assert str(error.value) == "screened 58.0: must be a whole number >= 0"


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_consort_figure(flow()))
    second = figure_bytes(make_consort_figure(flow()))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
