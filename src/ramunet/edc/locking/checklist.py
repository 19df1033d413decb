"""The "ready to lock" checklist, live, per centre and for the whole study.

Each item counts what still stands between the data and the database lock. The lock refuses
until every item is green or carries a written justification (``locking.lock_database``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ramunet.edc.crfs.models import AdverseEvent
from ramunet.edc.entry.models import EntryDifference
from ramunet.edc.queries.models import Query
from ramunet.edc.review import services as review
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.worklist import missing_form_counts

# Discrepancies where a value the system derived disagrees with what was entered.
DERIVED_RULES = ("ae.below_lab_grade", "tumour.response_mismatch", "recist.response_mismatch")


@dataclass(frozen=True)
class Item:
    """One checklist line: how many problems, where, and what counts as green."""

    code: str
    label: str
    per_centre: dict[str, int] = field(default_factory=dict)
    detail: str = ""

    @property
    def count(self) -> int:
        return sum(self.per_centre.values())

    @property
    def green(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class Checklist:
    at: dt.date
    items: tuple[Item, ...]

    @property
    def green(self) -> bool:
        return all(item.green for item in self.items)

    def open_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.green)

    def for_centre(self, code: str) -> dict[str, int]:
        return {item.code: item.per_centre.get(code, 0) for item in self.items}


def _count(rows: Any) -> dict[str, int]:
    return dict(Counter(code for (code,) in rows))


def checklist(user: Any, today: dt.date | None = None) -> Checklist:
    """Compute every item for the centres the person can see (a data manager: all)."""
    day = today or timezone.localdate()
    unclosed = Query.objects.exclude(status=Query.Status.CLOSED)
    open_queries = _count(
        unclosed.filter(origin=Query.Origin.MANUAL).values_list("patient__centre__code")
    )
    automatic = unclosed.filter(origin=Query.Origin.AUTOMATIC)
    open_auto = _count(
        automatic.exclude(rule__in=DERIVED_RULES).values_list("patient__centre__code")
    )
    derived = _count(automatic.filter(rule__in=DERIVED_RULES).values_list("patient__centre__code"))
    missing = missing_form_counts(user)
    sdv_missing = {p.centre: p.required - p.verified for p in review.sdv_progress(user)}
    unsigned: Counter[str] = Counter()
    for patient in Patient.objects.select_related("centre"):
        if not review.signature_status(patient).valid:
            unsigned[patient.centre.code] += 1
    unresolved_sae = _count(
        AdverseEvent.objects.filter(serious=True)
        .filter(
            Q(sae_reported_at__isnull=True)
            | Q(outcome__in=["not_recovered", "recovering", "unknown"])
        )
        .values_list("patient__centre__code")
    )
    double_entry = _count(
        EntryDifference.objects.filter(status=EntryDifference.Status.OPEN).values_list(
            "entry__patient__centre__code"
        )
    )
    unlocked = _count(Patient.objects.filter(locked=False).values_list("centre__code"))
    items = (
        Item("open_queries", "open queries", open_queries),
        Item("open_discrepancies", "open automatic queries from edit checks", open_auto),
        Item("missing_forms", "expected forms missing", dict(missing)),
        Item(
            "sdv",
            "forms still to verify against source (100% SDV plan)",
            {k: v for k, v in sdv_missing.items() if v},
        ),
        Item("signatures", "casebooks without a valid investigator signature", dict(unsigned)),
        Item("unresolved_sae", "serious adverse events unreported or unresolved", unresolved_sae),
        Item("derived_discrepancies", "derived values disagreeing with entered ones", derived),
        Item("double_entry", "double-entry differences not yet resolved", double_entry),
        Item("patients_unlocked", "patients not yet locked", unlocked),
    )
    return Checklist(day, items)
