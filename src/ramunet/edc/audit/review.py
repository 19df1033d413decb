"""Reviewing the audit trail (EMA guideline on computerised systems, 2023, §6.2 and Annex 4):
browse and filter it, export it study-wide as a stream, and flag what a reviewer must look at.

The trail is read one change per row (a record that changed three fields gives three rows),
so that it filters by field as well as by patient, form, person and time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.exports.csvsafe import csv_lines

COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "model",
    "object_pk",
    "patient",
    "centre",
    "field",
    "old",
    "new",
    "reason",
    "hash",
)


@dataclass(frozen=True)
class TrailFilter:
    """What to show; every part optional."""

    patient: str = ""
    model: str = ""
    object_pk: str = ""
    field: str = ""
    actor: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def records(user: Any, where: TrailFilter = TrailFilter()) -> QuerySet[AuditRecord]:
    """The audit records the person may see (VIEW_AUDIT, scoped to centres), filtered."""
    ids = access.centre_ids(user, Capability.VIEW_AUDIT)
    qs = AuditRecord.objects.order_by("seq")
    if ids is not None:
        if not ids:
            return qs.none()
        from ramunet.edc.sites.models import Centre

        codes = list(Centre.objects.filter(pk__in=ids).values_list("code", flat=True))
        qs = qs.filter(centre__in=codes)
    elif not access.can(user, Capability.VIEW_AUDIT):
        return qs.none()
    if where.patient:
        qs = qs.filter(patient=where.patient)
    if where.model:
        qs = qs.filter(model=where.model)
    if where.object_pk:
        qs = qs.filter(object_pk=where.object_pk)
    if where.actor:
        qs = qs.filter(actor=where.actor)
    if where.since:
        qs = qs.filter(at__gte=where.since)
    if where.until:
        qs = qs.filter(at__lt=where.until)
    if where.field:  # a cheap pre-filter; rows() keeps only that field's changes
        qs = qs.filter(Q(payload__contains=f'"{where.field}":'))
    return qs


_READ = (
    "seq",
    "at",
    "actor",
    "action",
    "model",
    "object_pk",
    "patient",
    "centre",
    "reason",
    "hash",
    "payload",
)


def tuples(
    user: Any, where: TrailFilter = TrailFilter(), chunk: int = 5000
) -> Iterator[tuple[Any, ...]]:
    """One tuple per changed field (or per record without changes), in ``COLUMNS`` order,
    oldest first, streamed from the database in chunks (flat memory)."""
    for seq, at, actor, action, model, pk, patient, centre, reason, digest, payload in (
        records(user, where).values_list(*_READ).iterator(chunk_size=chunk)
    ):
        changes = json.loads(payload).get("changes") or {}
        if where.field:
            changes = {k: v for k, v in changes.items() if k == where.field}
            if not changes:
                continue
        stamp = at.isoformat()
        if not changes:
            yield (
                seq,
                stamp,
                actor,
                action,
                model,
                pk,
                patient,
                centre,
                "",
                "",
                "",
                reason,
                digest,
            )
        for name in sorted(changes):
            old, new = changes[name]
            yield (
                seq,
                stamp,
                actor,
                action,
                model,
                pk,
                patient,
                centre,
                name,
                _text(old),
                _text(new),
                reason,
                digest,
            )


def rows(user: Any, where: TrailFilter = TrailFilter()) -> Iterator[dict[str, Any]]:
    """The same as ``tuples``, as dicts keyed by ``COLUMNS`` (for pages and tests)."""
    for row in tuples(user, where):
        yield dict(zip(COLUMNS, row, strict=True))


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def export_csv(user: Any, where: TrailFilter = TrailFilter()) -> Iterator[str]:
    """The trail as CSV lines, streamed: flat memory however long the trail."""
    return csv_lines(COLUMNS, tuples(user, where))


# -- review flags ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSettings:
    burst_changes: int = 50  # this many changes by one person ...
    burst_minutes: int = 10  # ... within this many minutes is a burst
    late_days: int = 30  # a form entered more than this many days after its date


#: the kinds of flag, in the order a reviewer takes them
FLAG_KINDS = ("after_signature", "after_sdv", "back_and_forth", "late_entry", "burst")


@dataclass(frozen=True)
class Flag:
    kind: str  # one of FLAG_KINDS
    seq: int
    actor: str
    patient: str
    message: str
    model: str = ""  # the record the flagged write changed (model label and key)
    object_pk: str = ""
    at: dt.datetime | None = None  # when the flagged write was made


def _flag(record: AuditRecord, kind: str, message: str) -> Flag:
    return Flag(
        kind, record.seq, record.actor, record.patient, message,
        record.model, record.object_pk, record.at,
    )  # fmt: skip


def review_flags(user: Any, settings: ReviewSettings = ReviewSettings()) -> list[Flag]:
    """Walk the visible trail once and flag what a reviewer should look at."""
    flags: list[Flag] = []
    sdv_at: dict[tuple[str, str], dt.datetime] = {}
    signed_at: dict[str, dt.datetime] = {}
    recent: dict[str, deque[dt.datetime]] = defaultdict(deque)
    in_burst: dict[str, bool] = defaultdict(bool)
    history: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    window = dt.timedelta(minutes=settings.burst_minutes)
    for record in records(user).iterator(chunk_size=2000):
        payload = json.loads(record.payload)
        state = payload.get("state") or {}
        who, patient = record.actor, record.patient
        if record.model == "review.FormMark" and state.get("kind") == "sdv":
            sdv_at[(state["form_model"], str(state["form_pk"]))] = record.at
        if record.action == "review.casebook.signed":
            signed_at[patient] = record.at
        if record.action.endswith(".updated") and record.model.startswith("crfs."):
            key = (record.model, record.object_pk)
            if key in sdv_at:
                flags.append(
                    _flag(
                        record,
                        "after_sdv",
                        f"{record.model} #{record.object_pk} changed by {who} after "
                        f"source data verification",
                    )
                )
            if patient in signed_at:
                flags.append(
                    _flag(
                        record,
                        "after_signature",
                        f"{record.model} #{record.object_pk} changed by {who} after the "
                        f"casebook of {patient} was signed",
                    )
                )
            for name, (old, new) in (payload.get("changes") or {}).items():
                seen = history[(record.model, record.object_pk, name)]
                if not seen:
                    seen.append(_text(old))
                if _text(new) in seen[:-1]:
                    flags.append(
                        _flag(
                            record,
                            "back_and_forth",
                            f"{record.model} #{record.object_pk} {name} changed back to "
                            f"{_text(new)!r} (values: {' -> '.join([*seen, _text(new)])})",
                        )
                    )
                seen.append(_text(new))
        if record.action.endswith(".created") and record.model.startswith("crfs."):
            form_date = state.get("form_date")
            if form_date:
                lag = (record.at.date() - dt.date.fromisoformat(form_date)).days
                if lag > settings.late_days:
                    flags.append(
                        _flag(
                            record,
                            "late_entry",
                            f"{record.model} #{record.object_pk} dated {form_date} "
                            f"entered {lag} days later by {who}",
                        )
                    )
        if who != "system" and payload.get("changes"):
            times = recent[who]
            times.append(record.at)
            while times and record.at - times[0] > window:
                times.popleft()
            if len(times) >= settings.burst_changes and not in_burst[who]:
                in_burst[who] = True
                flags.append(
                    _flag(
                        record,
                        "burst",
                        f"{who} made {len(times)} changes within {settings.burst_minutes} minutes",
                    )
                )
            elif len(times) < settings.burst_changes:
                in_burst[who] = False
    return flags
