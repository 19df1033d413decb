"""What the casebook page shows: the visit calendar with states, the forms present per visit,
the event forms, and the patient's derived endpoints. Read-only; a fixed number of queries
(one per eCRF model holding forms of the patient), whatever the number of visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ramunet.edc.crfs.models import FORMS
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.worklist import NOT_EXPECTED_FOR_MEN
from ramunet.edc.web.labels import FORM_TITLES
from ramunet.protocol.schedule import EVENT_FORMS


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    state: str  # done, due, overdue, planned, missed, cancelled
    forms: tuple[tuple[str, int | None, str], ...]  # (form code, pk of the form or None, title)


@dataclass(frozen=True)
class EventForm:
    code: str
    pk: int
    form_date: dt.date
    summary: str


def visit_state(visit: Visit, today: dt.date) -> str:
    """The calendar colour of a visit: done, missed, not needed, or planned/due/overdue."""
    if visit.status != Visit.Status.PLANNED:
        return str(visit.status)
    if visit.latest < today:
        return "overdue"
    if visit.earliest <= today:
        return "due"
    return "planned"


def forms_of(patient: Patient) -> dict[str, list[Any]]:
    """Every form of the patient per form code: (pk, visit id, form date, summary fields)."""
    found: dict[str, list[Any]] = {}
    for code, model in FORMS.items():
        if not model.CAPABILITY.value.startswith("enter"):
            continue
        names = ["pk", "visit_id", "form_date"]
        if code == "AE":
            names += ["term", "grade"]
        elif code == "CM":
            names += ["medication"]
        rows = model.objects.filter(patient=patient).order_by("form_date", "pk").values(*names)
        found[code] = list(rows)
    return found


def calendar(patient: Patient, today: dt.date) -> tuple[list[VisitRow], list[EventForm]]:
    forms = forms_of(patient)
    by_visit: dict[tuple[int, str], int] = {}
    for code, rows in forms.items():
        for row in rows:
            if row["visit_id"] is not None:
                by_visit[(row["visit_id"], code)] = row["pk"]
    skip = set(EVENT_FORMS) | (NOT_EXPECTED_FOR_MEN if patient.sex == "male" else set())
    visits = []
    for visit in Visit.objects.filter(patient=patient).order_by("order"):
        codes = [c for c in visit.expected_forms if c not in skip and c in FORMS]
        visits.append(
            VisitRow(
                visit,
                visit_state(visit, today),
                tuple((c, by_visit.get((visit.pk, c)), str(FORM_TITLES.get(c, c))) for c in codes),
            )
        )
    events = []
    for code in ("AE", "CM"):
        for row in forms.get(code, []):
            summary = f"{row['term']} (G{row['grade']})" if code == "AE" else row["medication"]
            events.append(EventForm(code, row["pk"], row["form_date"], summary))
    return visits, events


def endpoints_of(patient: Patient) -> PatientEndpoints | None:
    return PatientEndpoints.objects.filter(patient=patient).first()
