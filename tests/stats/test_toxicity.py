"""Worst CTCAE grade per patient and term, and the term x grade table (hand-checkable)."""

from __future__ import annotations

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.toxicity import ANY_EVENT, toxicity_table, worst_grades

SAFETY_SET = ["P01", "P02", "P03", "P04"]
EVENTS = [
    ("P01", "Nausea", 1),
    ("P01", "Nausea", 2),  # P01 nausea worst 2
    ("P01", "Neutrophil count decreased", 3),
    ("P02", "Nausea", 1),
    ("P02", "Hypertension", 3),
    ("P02", "Hypertension", 2),  # P02 hypertension worst 3 (the later grade 2 does not lower it)
    ("P03", "Neutrophil count decreased", 4),
]


def test_worst_grade_per_patient_and_term_is_the_maximum():
    assert worst_grades(EVENTS) == {
        ("P01", "Nausea"): 2,
        ("P01", "Neutrophil count decreased"): 3,
        ("P02", "Nausea"): 1,
        ("P02", "Hypertension"): 3,
        ("P03", "Neutrophil count decreased"): 4,
    }


def test_patient_counts_once_per_term():
    table = toxicity_table(EVENTS, SAFETY_SET)
    assert table.row("Nausea").patients_by_grade == (1, 1, 0, 0, 0)


def test_percentages_use_whole_safety_set_including_patients_without_events():
    row = toxicity_table(EVENTS, SAFETY_SET).row("Nausea")
    assert (row.any_grade, row.any_grade_percent) == (2, 50.0)


def test_grade_3_counts_as_severe():
    row = toxicity_table(EVENTS, SAFETY_SET).row("Hypertension")
    assert (row.grade_3_or_higher, row.grade_3_or_higher_percent) == (1, 25.0)


def test_grade_2_is_not_severe():
    row = toxicity_table(EVENTS, SAFETY_SET).row("Nausea")
    assert row.grade_3_or_higher == 0


def test_any_event_row_uses_worst_grade_over_all_terms():
    row = toxicity_table(EVENTS, SAFETY_SET).rows[0]
    # P01 worst 3, P02 worst 3, P03 worst 4, P04 none
    assert (row.term, row.patients_by_grade, row.any_grade) == (ANY_EVENT, (0, 0, 2, 1, 0), 3)


def test_terms_are_ordered_by_frequency_then_name():
    table = toxicity_table(EVENTS, SAFETY_SET)
    assert [row.term for row in table.rows] == [
        ANY_EVENT,
        "Nausea",
        "Neutrophil count decreased",
        "Hypertension",
    ]


def test_safety_set_without_events_gives_empty_any_event_row():
    table = toxicity_table([], ["P01"])
    assert table.rows[0].patients_by_grade == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("grade", [0, 6, True, 2.5, "3"])
def test_grade_outside_one_to_five_is_refused(grade):
    with pytest.raises(InvalidInput) as caught:
        worst_grades([("P01", "Nausea", grade)])
    assert str(caught.value) == (
        f"events[0].grade {grade!r}: not a CTCAE grade; expected 1, 2, 3, 4 or 5"
    )


def test_missing_grade_is_refused():
    with pytest.raises(InvalidInput) as caught:
        worst_grades([("P01", "Nausea", None)])
    assert str(caught.value) == "events[0].grade: not a CTCAE grade; expected 1, 2, 3, 4 or 5"


def test_grade_five_is_accepted():
    assert worst_grades([("P01", "Death NOS", 5)]) == {("P01", "Death NOS"): 5}


def test_empty_term_is_refused():
    with pytest.raises(InvalidInput) as caught:
        worst_grades([("P01", " ", 1)])
    assert str(caught.value) == "events[0].term ' ': must be a non-empty CTCAE term"


def test_event_of_patient_outside_safety_set_is_refused():
    with pytest.raises(InvalidInput) as caught:
        toxicity_table([("P09", "Nausea", 1)], SAFETY_SET)
    assert str(caught.value) == "events 'P09': names a patient outside the safety set"


def test_repeated_patient_in_safety_set_is_refused():
    with pytest.raises(InvalidInput) as caught:
        toxicity_table([], ["P01", "P01"])
    assert str(caught.value) == "patients[1] 'P01': appears twice in the safety set"


def test_empty_safety_set_is_refused():
    with pytest.raises(InvalidInput) as caught:
        toxicity_table([], [])
    assert str(caught.value) == "patients: must hold at least one treated patient"


def test_unknown_term_row_is_refused():
    with pytest.raises(InvalidInput) as caught:
        toxicity_table(EVENTS, SAFETY_SET).row("Rash")
    assert str(caught.value) == "term 'Rash': no patient has an adverse event with this term"
