"""A centre's worklist: visits due today, visits overdue, forms missing, visits off-window.

Read-only, scoped to the centres where the user may view patients (``access.scope``).

"Forms present" is a lookup passed in, so that the worklist works before and after the eCRFs:
a ``FormsPresent`` callable takes the done visits and returns, per visit id, the form codes
that exist for it. ``forms_present_from(mapping)`` wraps a plain ``{visit_id: codes}`` mapping;
the default, ``crf_forms_present``, asks every installed model that declares a ``FORM_CODE``
and a ``visit`` foreign key (the eCRF models of ``ramunet.edc.crfs``), so it finds no forms
until the eCRFs land and every form of ``ramunet.edc.crfs`` once they do. To wire another
source (a form-status table, a cache), pass ``forms_present=`` a function of the same shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.visits.services import days_outside_window
from ramunet.protocol.schedule import EVENT_FORMS

FormsPresent = Callable[[Sequence[Visit]], Mapping[int, Iterable[str]]]

# Forms never missing at a visit: event forms (filled when the event happens) and, for men,
# the pregnancy test.
NOT_EXPECTED_AT_VISIT = frozenset(EVENT_FORMS)
NOT_EXPECTED_FOR_MEN = frozenset({"PREG"})
# Above this many visits, a filter listing their ids costs more than reading every form row
# linked to a visit (Django prepares each listed id; a whole study has 100,000s).
MAX_LISTED_VISITS = 1000


def forms_present_from(mapping: Mapping[int, Iterable[str]]) -> FormsPresent:
    """A ``FormsPresent`` lookup over a fixed ``{visit id: form codes}`` mapping."""

    def lookup(visits: Sequence[Visit]) -> Mapping[int, Iterable[str]]:
        return {v.pk: tuple(mapping.get(v.pk, ())) for v in visits}

    return lookup


def crf_forms_present(visits: Sequence[Visit]) -> Mapping[int, Iterable[str]]:
    """The form codes stored for each visit in the installed eCRF models (none before them)."""
    return crf_forms_present_by_id([v.pk for v in visits])


def crf_forms_present_by_id(visit_ids: Sequence[int]) -> dict[int, set[str]]:
    """``crf_forms_present`` for visit ids (no visit rows needed)."""
    present: dict[int, set[str]] = {pk: set() for pk in visit_ids}
    ids = list(present)
    for model in apps.get_models():
        code = getattr(model, "FORM_CODE", "")
        if not code or "visit" not in {f.name for f in model._meta.get_fields()}:
            continue
        rows = model._default_manager.filter(visit__isnull=False)
        if len(ids) <= MAX_LISTED_VISITS:  # else reading every linked row is cheaper
            rows = rows.filter(visit_id__in=ids)
        for visit_id in rows.values_list("visit_id", flat=True).distinct():
            if visit_id in present:
                present[visit_id].add(code)
    return present


@dataclass(frozen=True)
class WorkItem:
    """One visit on the worklist, with what is due about it."""

    visit_id: int
    patient: str
    centre: str
    visit: str
    label: str
    planned_date: dt.date
    earliest: dt.date
    latest: dt.date
    actual_date: dt.date | None
    days_late: int = 0  # overdue: days since the window closed
    missing_forms: tuple[str, ...] = ()
    days_outside_window: int = 0

    @classmethod
    def of(cls, visit: Visit, **extra: Any) -> WorkItem:
        return cls(
            visit_id=visit.pk,
            patient=visit.patient.code,
            centre=visit.patient.centre.code,
            visit=visit.code,
            label=visit.label,
            planned_date=visit.planned_date,
            earliest=visit.earliest,
            latest=visit.latest,
            actual_date=visit.actual_date,
            **extra,
        )


@dataclass(frozen=True)
class Worklist:
    """What a centre has to do on ``today``, each list in date order."""

    today: dt.date
    centres: tuple[str, ...]
    due: tuple[WorkItem, ...]
    overdue: tuple[WorkItem, ...]
    forms_missing: tuple[WorkItem, ...]
    outside_window: tuple[WorkItem, ...]

    def is_empty(self) -> bool:
        return not (self.due or self.overdue or self.forms_missing or self.outside_window)


def _visible(user: Any, centre: Centre | None) -> QuerySet[Visit]:
    visits = access.scope(
        Visit.objects.select_related("patient__centre"),
        user,
        Capability.VIEW_PATIENTS,
        "patient__centre",
    )
    if centre is not None:
        access.require(user, Capability.VIEW_PATIENTS, centre)
        visits = visits.filter(patient__centre=centre)
    return visits.order_by("planned_date", "patient__code", "order")


def expected_forms(visit: Visit) -> tuple[str, ...]:
    """The forms a done visit should have (event forms and, for men, PREG excluded)."""
    return _expected(visit.expected_forms, visit.patient.sex)


def _expected(codes: Iterable[str], sex: str) -> tuple[str, ...]:
    skip = NOT_EXPECTED_AT_VISIT | (NOT_EXPECTED_FOR_MEN if sex == "male" else set())
    return tuple(code for code in codes if code not in skip)


def missing_form_counts(user: Any, centre: Centre | None = None) -> dict[str, int]:
    """Per centre code: the expected forms not yet entered at done visits, i.e. the sum of
    ``len(item.missing_forms)`` over ``worklist(...).forms_missing``, computed from plain
    rows (no visit objects: a study-wide count reads 100,000s of visits)."""
    rows = (
        _visible(user, centre)
        .filter(status=Visit.Status.DONE)
        .order_by()
        .values_list("pk", "patient__centre__code", "patient__sex", "expected_forms")
    )
    done = list(rows)
    present = crf_forms_present_by_id([pk for pk, _, _, _ in done])
    counts: dict[str, int] = {}
    for pk, code, sex, expected in done:
        have = present.get(pk, set())
        absent = sum(1 for form in _expected(expected, sex) if form not in have)
        if absent:
            counts[code] = counts.get(code, 0) + absent
    return dict(sorted(counts.items()))


def worklist(
    user: Any,
    centre: Centre | None = None,
    *,
    today: dt.date,
    forms_present: FormsPresent | Mapping[int, Iterable[str]] | None = None,
) -> Worklist:
    """The worklist of ``centre`` (default: every centre the user may see) on ``today``.

    - due: planned visits whose window is open today (earliest <= today <= latest);
    - overdue: planned visits whose window closed before today (not done, not missed);
    - forms missing: done visits with expected forms not yet entered;
    - outside window: done visits whose actual date lies outside the window (to review).
    """
    if isinstance(forms_present, Mapping):
        lookup = forms_present_from(forms_present)
    else:
        lookup = forms_present or crf_forms_present
    visits = list(_visible(user, centre))
    planned = [v for v in visits if v.status == Visit.Status.PLANNED]
    done = [v for v in visits if v.status == Visit.Status.DONE]
    present = lookup(done)
    missing = []
    for visit in done:
        have = set(present.get(visit.pk, ()))
        absent = tuple(code for code in expected_forms(visit) if code not in have)
        if absent:
            missing.append(WorkItem.of(visit, missing_forms=absent))
    return Worklist(
        today=today,
        centres=tuple(sorted({v.patient.centre.code for v in visits})),
        due=tuple(WorkItem.of(v) for v in planned if v.earliest <= today <= v.latest),
        overdue=tuple(
            WorkItem.of(v, days_late=(today - v.latest).days) for v in planned if v.latest < today
        ),
        forms_missing=tuple(missing),
        outside_window=tuple(
            WorkItem.of(v, days_outside_window=days_outside_window(v))
            for v in done
            if days_outside_window(v)
        ),
    )
