"""Adverse events by CTCAE term: worst grade per patient and term, and the safety table.

Each patient counts once per term, at the worst grade recorded for that term; percentages are
of every patient in the safety set (every patient who received any study drug), patients
without adverse events included.

References
----------
.. [1] U.S. DHHS/NIH/NCI. Common Terminology Criteria for Adverse Events (CTCAE) v5.0,
   27 November 2017 (grades 1-5).
.. [2] RamuNET protocol (Krug et al., BMC Cancer 2021;21:1159), secondary endpoint toxicity:
   "CTCAE v5.0, worst grade per patient and term" (PROTOCOL-NOTES.md, Endpoints).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ramunet.clinical.errors import InvalidInput

CTCAE_GRADES: tuple[int, ...] = (1, 2, 3, 4, 5)
#: The label of the table's first row: the worst grade of any term per patient.
ANY_EVENT = "Any adverse event"

AdverseEvent = tuple[str, str, int]
"""One recorded adverse event: (patient, CTCAE term, grade 1-5)."""


@dataclass(frozen=True)
class ToxicityRow:
    """Patients by worst grade of one term.

    Attributes
    ----------
    term
        The CTCAE term, or ``ANY_EVENT`` for the worst grade of any term.
    patients_by_grade
        Patients whose worst grade of the term is 1, 2, 3, 4 and 5.
    n_patients
        The safety-set size, the denominator of the percentages.
    """

    term: str
    patients_by_grade: tuple[int, int, int, int, int]
    n_patients: int

    @property
    def any_grade(self) -> int:
        """Patients with the term at any grade."""
        return sum(self.patients_by_grade)

    @property
    def grade_3_or_higher(self) -> int:
        """Patients whose worst grade of the term is 3, 4 or 5."""
        return sum(self.patients_by_grade[2:])

    @property
    def any_grade_percent(self) -> float:
        """Patients with the term at any grade, percent of the safety set."""
        return 100 * self.any_grade / self.n_patients

    @property
    def grade_3_or_higher_percent(self) -> float:
        """Patients with the term at grade >= 3, percent of the safety set."""
        return 100 * self.grade_3_or_higher / self.n_patients


@dataclass(frozen=True)
class ToxicityTable:
    """The term x worst-grade table of a safety set.

    Attributes
    ----------
    patients
        The safety set, as given.
    worst
        ``((patient, term), worst grade)`` pairs, sorted by patient and term.
    rows
        ``ANY_EVENT`` first, then the terms by descending any-grade count, then by name.
    """

    patients: tuple[str, ...]
    worst: tuple[tuple[tuple[str, str], int], ...]
    rows: tuple[ToxicityRow, ...]

    def row(self, term: str) -> ToxicityRow:
        """The row of ``term``; ``InvalidInput`` if no patient had it."""
        for row in self.rows:
            if row.term == term:
                return row
        raise InvalidInput("term", "no patient has an adverse event with this term", term)


def _check_event(index: int, event: AdverseEvent) -> AdverseEvent:
    field = f"events[{index}]"
    if not isinstance(event, tuple) or len(event) != 3:
        raise InvalidInput(field, "must be a (patient, term, grade) triple", event)
    patient, term, grade = event
    if not isinstance(term, str) or not term.strip():
        raise InvalidInput(f"{field}.term", "must be a non-empty CTCAE term", term)
    if isinstance(grade, bool) or grade not in CTCAE_GRADES:
        raise InvalidInput(f"{field}.grade", "not a CTCAE grade; expected 1, 2, 3, 4 or 5", grade)
    return patient, term.strip(), int(grade)


def worst_grades(events: Iterable[AdverseEvent]) -> dict[tuple[str, str], int]:
    """The worst CTCAE grade per (patient, term) [1]_.

    Raises
    ------
    InvalidInput
        Naming ``events[i]`` (or its ``.term``/``.grade``) for a malformed record.
    """
    worst: dict[tuple[str, str], int] = {}
    for index, event in enumerate(events):
        patient, term, grade = _check_event(index, event)
        key = (patient, term)
        worst[key] = max(grade, worst.get(key, 0))
    return worst


def _row(term: str, grades: Iterable[int], n_patients: int) -> ToxicityRow:
    counts = [0, 0, 0, 0, 0]
    for grade in grades:
        counts[grade - 1] += 1
    return ToxicityRow(term, (counts[0], counts[1], counts[2], counts[3], counts[4]), n_patients)


def toxicity_table(events: Iterable[AdverseEvent], patients: Sequence[str]) -> ToxicityTable:
    """Patients by term and worst grade, with any-grade and grade >= 3 percentages [2]_.

    Parameters
    ----------
    events
        Every recorded adverse event as (patient, term, grade); repeats are expected.
    patients
        The safety set: each treated patient once, with or without adverse events.

    Raises
    ------
    InvalidInput
        An empty or repeating safety set, a malformed event, or an event of a patient
        outside the safety set.
    """
    if len(patients) == 0:
        raise InvalidInput("patients", "must hold at least one treated patient")
    seen: set[str] = set()
    for index, patient in enumerate(patients):
        if patient in seen:
            raise InvalidInput(f"patients[{index}]", "appears twice in the safety set", patient)
        seen.add(patient)
    worst = worst_grades(events)
    for patient, _term in worst:
        if patient not in seen:
            raise InvalidInput("events", "names a patient outside the safety set", patient)
    n = len(patients)
    per_patient: dict[str, int] = {}
    by_term: dict[str, list[int]] = {}
    for (patient, term), grade in worst.items():
        per_patient[patient] = max(grade, per_patient.get(patient, 0))
        by_term.setdefault(term, []).append(grade)
    term_rows = sorted(
        (_row(term, grades, n) for term, grades in by_term.items()),
        key=lambda row: (-row.any_grade, row.term),
    )
    return ToxicityTable(
        patients=tuple(patients),
        worst=tuple(sorted(worst.items())),
        rows=(_row(ANY_EVENT, per_patient.values(), n), *term_rows),
    )
