"""Raising, answering, closing and re-opening queries; automatic queries; ageing.

The workflow, with who may take each step (``Capability`` in ``sites.roles``):

====================  ==============  ===================  ======================
step                  from            to                   who
====================  ==============  ===================  ======================
raise_query           -               open                 RAISE_QUERY (monitor,
                                                           data manager)
answer_query          open            answered             ANSWER_QUERY at the
                                                           patient's centre
close_query           open, answered  closed               RAISE_QUERY
reopen_query          answered,       open                 RAISE_QUERY
                      closed
automatic queries     -               open / closed        the system, from the
                                                           edit checks
====================  ==============  ===================  ======================

Every step appends a message to the thread and is audited; a step from the wrong state is
refused with a ``WorkflowError`` that says why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.queries.models import Query, QueryMessage
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7 days", 0, 7),
    ("8-14 days", 8, 14),
    ("15-30 days", 15, 30),
    ("over 30 days", 31, None),
)


def _text(text: str, field: str = "text") -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(field, "a query message cannot be empty")
    return cleaned


def _message(query: Query, kind: str, author: str, text: str) -> QueryMessage:
    return audit.create(
        QueryMessage(query=query, kind=kind, author=author, at=timezone.now(), text=text),
        actor=author,
        action=f"query.{kind}",
        validated=True,
    )


def _step(
    actor: Any, query: Query, *, to: str, kind: str, text: str, allowed_from: tuple[str, ...]
) -> Query:
    current = Query.objects.select_related("patient__centre").get(pk=query.pk)
    if current.status not in allowed_from:
        verb = {"answered": "answered", "closed": "closed", "reopened": "re-opened"}[kind]
        raise WorkflowError(f"query #{current.pk} is {current.status}; it cannot be {verb}")
    author = audit.actor_name(actor)
    changes: dict[str, Any] = {"status": to}
    changes["closed_at"] = timezone.now() if to == Query.Status.CLOSED else None
    updated = audit.update(
        current,
        changes,
        actor=actor,
        expected_version=current.version,
        reason=f"query {kind}",
        action=f"query.{kind}",
    )
    _message(updated, kind, author, text)
    return updated


def _form_field(form: Model, field: str) -> None:
    names = {f.name for f in form._meta.concrete_fields}
    if field not in names:
        raise InvalidInput(
            "field", f"not a field of this form; expected one of {', '.join(sorted(names))}", field
        )


@transaction.atomic
def raise_query(actor: Any, form: Any, field: str, text: str) -> Query:
    """A monitor or data manager asks about ``field`` of ``form``."""
    patient: Patient = form.patient
    access.require(actor, Capability.RAISE_QUERY, patient.centre_id)
    _form_field(form, field)
    body = _text(text)
    query = audit.create(
        Query(
            patient=patient,
            form_model=form._meta.label,
            form_pk=form.pk,
            field=field,
            raised_by=audit.actor_name(actor),
            raised_at=timezone.now(),
        ),
        actor=actor,
        action="query.raised",
    )
    _message(query, QueryMessage.Kind.RAISED, audit.actor_name(actor), body)
    return query


@transaction.atomic
def answer_query(actor: Any, query: Query, text: str) -> Query:
    """The centre answers (correcting the data, or confirming it against the source)."""
    access.require(actor, Capability.ANSWER_QUERY, query.patient.centre_id)
    return _step(
        actor,
        query,
        to=Query.Status.ANSWERED,
        kind="answered",
        text=_text(text),
        allowed_from=(Query.Status.OPEN,),
    )


@transaction.atomic
def close_query(actor: Any, query: Query, text: str = "resolved") -> Query:
    access.require(actor, Capability.RAISE_QUERY, query.patient.centre_id)
    return _step(
        actor,
        query,
        to=Query.Status.CLOSED,
        kind="closed",
        text=_text(text),
        allowed_from=(Query.Status.OPEN, Query.Status.ANSWERED),
    )


@transaction.atomic
def reopen_query(actor: Any, query: Query, text: str) -> Query:
    access.require(actor, Capability.RAISE_QUERY, query.patient.centre_id)
    return _step(
        actor,
        query,
        to=Query.Status.OPEN,
        kind="reopened",
        text=_text(text),
        allowed_from=(Query.Status.ANSWERED, Query.Status.CLOSED),
    )


@transaction.atomic
def open_automatic(
    patient: Patient, *, form_model: str, form_pk: int, field: str, rule: str, message: str
) -> Query:
    """An edit check's finding becomes an open query (author: the system)."""
    query = audit.create(
        Query(
            patient=patient,
            form_model=form_model,
            form_pk=form_pk,
            field=field,
            origin=Query.Origin.AUTOMATIC,
            rule=rule,
            raised_by="system",
            raised_at=timezone.now(),
        ),
        actor="system",
        action="query.raised",
        validated=True,
    )
    _message(query, QueryMessage.Kind.RAISED, "system", message)
    return query


@transaction.atomic
def close_automatic(*, form_model: str, form_pk: int, field: str, rule: str) -> list[Query]:
    """Close the automatic queries of an edit check that no longer applies."""
    closed = []
    for query in (
        Query.objects.filter(
            form_model=form_model,
            form_pk=form_pk,
            field=field,
            rule=rule,
            origin=Query.Origin.AUTOMATIC,
        )
        .exclude(status=Query.Status.CLOSED)
        .select_related("patient__centre")
    ):
        closed.append(
            _step(
                "system",
                query,
                to=Query.Status.CLOSED,
                kind="auto_closed",
                text="the data were corrected; the edit check no longer applies",
                allowed_from=(Query.Status.OPEN, Query.Status.ANSWERED),
            )
        )
    return closed


@dataclass(frozen=True)
class Ageing:
    """Open (not yet closed) queries of one centre by age band."""

    centre: str
    bands: dict[str, int]
    oldest_days: int | None

    @property
    def total(self) -> int:
        return sum(self.bands.values())


def query_ageing(user: Any, today: dt.date | None = None) -> list[Ageing]:
    """How long the queries still open at each centre in scope have waited."""
    day = today or timezone.localdate()
    rows = access.scope(
        Query.objects.exclude(status=Query.Status.CLOSED),
        user,
        Capability.VIEW_PATIENTS,
        "patient__centre",
    ).values_list("patient__centre__code", "raised_at")
    per_centre: dict[str, Counter[str]] = {}
    oldest: dict[str, int] = {}
    for code, raised_at in rows:
        age = (day - timezone.localtime(raised_at).date()).days
        band = next(
            name for name, low, high in AGE_BANDS if age >= low and (high is None or age <= high)
        )
        per_centre.setdefault(code, Counter())[band] += 1
        oldest[code] = max(oldest.get(code, 0), age)
    return [
        Ageing(code, {name: per_centre[code][name] for name, _, _ in AGE_BANDS}, oldest.get(code))
        for code in sorted(per_centre)
    ]
