"""Safety: worst CTCAE grade per patient and term, and the serious adverse event listing.

Reported adverse events and the toxicities graded from laboratory values, blood pressure and
urine protein (PROTOCOL-NOTES.md "Endpoints": laboratory toxicities graded from the values
themselves) enter one table; a patient counts once per term at the worst grade.

References
----------
.. [1] U.S. DHHS/NIH/NCI. CTCAE v5.0, 27 November 2017.
.. [2] ICH E2A (1994): definitions of a serious adverse event.
"""

from __future__ import annotations

from collections.abc import Sequence

from ramunet.report.dataset import AdverseEventRow, LabGrade, PatientRow
from ramunet.report.figures.toxicity import WorstGradeCounts, worst_grade_counts
from ramunet.report.tables import Table, percent
from ramunet.stats.toxicity import ToxicityTable, toxicity_table

#: Columns of the toxicity table holding grades 3, 4 and 5 and "grade >= 3" (highlighted).
SEVERE_COLUMNS: tuple[int, ...] = (3, 4, 5, 7)
#: Rows past this many in the PDF's SAE listing are left to the CSV beside the report.
SAE_PDF_ROWS = 200


def safety_events(
    patients: Sequence[PatientRow],
    events: Sequence[AdverseEventRow],
    lab_grades: Sequence[LabGrade],
) -> list[tuple[str, str, int]]:
    """(patient, term, grade) of the safety set: reported events and graded lab values."""
    codes = {p.code for p in patients}
    found = [
        (e.patient, e.term, e.grade) for e in events if e.patient in codes and 1 <= e.grade <= 5
    ]
    found += [(g.patient, g.term, g.grade) for g in lab_grades if g.patient in codes]
    return found


def analyse_toxicity(
    patients: Sequence[PatientRow],
    events: Sequence[AdverseEventRow],
    lab_grades: Sequence[LabGrade],
) -> tuple[ToxicityTable, WorstGradeCounts | None]:
    """The term x worst-grade table [1]_ and the counts the toxicity figure draws."""
    found = safety_events(patients, events, lab_grades)
    table = toxicity_table(found, [p.code for p in patients])
    if not found:
        return table, None
    ids, terms, grades = zip(*found, strict=True)
    return table, worst_grade_counts(ids, terms, grades)


def toxicity_rows_table(table: ToxicityTable) -> Table:
    """Patients by worst grade, any grade and grade >= 3 per term; grade >= 3 highlighted."""
    n = len(table.patients)
    rows = []
    emphasised = []
    for index, row in enumerate(table.rows):
        cells = (
            row.term,
            *(str(count) for count in row.patients_by_grade),
            percent(row.any_grade, n),
            percent(row.grade_3_or_higher, n),
        )
        rows.append(cells)
        severe = (*row.patients_by_grade[2:], row.grade_3_or_higher)
        emphasised += [
            (index, column)
            for column, count in zip(SEVERE_COLUMNS, severe, strict=True)
            if count > 0
        ]
    return Table(
        "toxicity",
        "Adverse events and laboratory toxicities: worst CTCAE v5.0 grade per patient and term",
        ("Term", "G1", "G2", "G3", "G4", "G5", "Any grade", "Grade \u2265 3"),
        tuple(rows),
        emphasised=tuple(emphasised),
        note=f"Safety set: {n} patients with at least one dose. Each patient counts once per "
        "term, at the worst grade; grade 3 and above highlighted.",
    )


def sae_rows(
    patients: Sequence[PatientRow], events: Sequence[AdverseEventRow]
) -> list[tuple[str, ...]]:
    """One row per serious adverse event of the safety set, by patient and onset [2]_."""
    codes = {p.code for p in patients}
    return [
        (
            e.patient,
            e.term,
            str(e.grade),
            e.onset.isoformat(),
            e.end_date.isoformat() if e.end_date else "ongoing",
            ", ".join(s.replace("_", " ") for s in e.seriousness) or "not stated",
            e.relation_ramucirumab.replace("_", " "),
            e.relation_dacarbazine.replace("_", " "),
            e.outcome.replace("_", " "),
        )
        for e in events
        if e.serious and e.patient in codes
    ]


SAE_COLUMNS: tuple[str, ...] = (
    "Patient",
    "Term",
    "Grade",
    "Onset",
    "End",
    "Seriousness",
    "Related to ramucirumab",
    "Related to dacarbazine",
    "Outcome",
)


def sae_table(rows: Sequence[tuple[str, ...]], limit: int | None = None) -> Table:
    """The SAE listing; with ``limit``, the first ``limit`` rows and a pointer to the CSV."""
    shown = tuple(rows if limit is None else rows[:limit])
    note = f"{len(rows)} serious adverse events."
    if len(shown) < len(rows):
        note += f" The first {len(shown)} are shown; all are in sae_listing.csv beside the report."
    emphasised = tuple((i, 2) for i, row in enumerate(shown) if int(row[2]) >= 3)
    return Table(
        "sae",
        "Serious adverse events",
        SAE_COLUMNS,
        shown or (("none", *([""] * (len(SAE_COLUMNS) - 1))),),
        emphasised=emphasised,
        note=note,
    )
