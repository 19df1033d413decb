"""The one write path: every create, update and delete of audited data, and its audit record.

Services call ``create``, ``update`` and ``delete`` inside their own ``transaction.atomic()``;
each call writes the row and its audit record in one transaction, so neither exists without
the other. ``append`` records actions that change no row of an audited model (a login, an
export, a verification run).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, models, transaction

from ramunet.clinical.errors import ConflictError, InvalidInput
from ramunet.edc import compiled
from ramunet.edc.audit import chaining
from ramunet.edc.audit.chain import GENESIS, jsonable, link_hash, state_digest
from ramunet.edc.audit.chaining import Waiting
from ramunet.edc.audit.deferral import AuditDeferral
from ramunet.edc.audit.models import AuditedModel, AuditRecord, ChainHead

Actor = AbstractBaseUser | AnonymousUser | str
M = TypeVar("M", bound=AuditedModel)


def actor_name(actor: Actor) -> str:
    if isinstance(actor, str):
        return actor
    if not actor.is_authenticated:
        raise InvalidInput("actor", "an anonymous user cannot change data")
    return str(actor.get_username())


def model_label(obj: models.Model | type[models.Model]) -> str:
    return str(obj._meta.label)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Every concrete field's stored value, JSON-ready (foreign keys by their id).

    Fields a model lists in ``AUDIT_REDACTED`` (secrets) appear only as their SHA-256, so the
    trail proves they changed without holding them.
    """
    redacted = getattr(obj, "AUDIT_REDACTED", ())
    state = {}
    for f in obj._meta.concrete_fields:
        value = jsonable(f.value_from_object(obj))
        if f.attname in redacted and value:
            value = "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()
        state[f.attname] = value
    return state


def _scope(obj: models.Model | None) -> tuple[str, str]:
    return obj.audit_scope() if isinstance(obj, AuditedModel) else ("", "")


def _append(
    action: str,
    *,
    actor: Actor,
    obj: models.Model | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    state: Mapping[str, Any] | None = None,
    deleted: bool = False,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    patient: str = "",
    centre: str = "",
) -> AuditRecord:
    """Append one record to the chain: who, when (UTC), what, old/new values, reason.

    Runs inside the caller's transaction. The record waits for the transaction's end
    (``audit.deferral``): then it gets its sequence number, time and previous hash, with the
    chain head locked only for the inserts and the commit. The record returned is complete
    once its transaction has committed.
    """
    deferral: AuditDeferral | None = getattr(connection, "audit_deferral", None)
    if deferral is None:
        raise ImproperlyConfigured(
            "the audit trail needs ramunet's database backends "
            "(ENGINE ramunet.edc.postgresql or ramunet.edc.sqlite_queue)"
        )
    # trial data: refused when the records are chained if the database lock is set (read
    # there, under the chain head's lock, so that a lock set meanwhile counts too)
    frozen_by_lock = obj is not None and obj._meta.app_label in LOCKED_APPS
    scope_patient, scope_centre = _scope(obj)
    record = AuditRecord(
        actor=actor_name(actor),
        action=action,
        model=model_label(obj) if obj is not None else "",
        object_pk=str(obj.pk) if obj is not None else "",
        patient=patient or scope_patient,
        centre=centre or scope_centre,
        reason=reason,
    )
    # canonical() of the whole payload, without converting the state and the changes again:
    # they hold ``snapshot`` values, which ``jsonable`` already gave (it returns them as is)
    body = jsonable(
        {
            "actor": record.actor,
            "action": action,
            "model": record.model,
            "pk": record.object_pk,
            "patient": record.patient,
            "centre": record.centre,
            "reason": reason,
            "deleted": deleted,
            "data": dict(data or {}),
        }
    )
    body["changes"] = {str(k): [old, new] for k, (old, new) in (changes or {}).items()}
    body["state"] = None if deleted else (dict(state) if state is not None else None)
    deferral.write = _chain_waiting
    deferral.records.append(Waiting(record, body, frozen_by_lock))
    return record


def _chain_waiting(commit: bool) -> None:
    deferral: AuditDeferral = connection.audit_deferral  # type: ignore[attr-defined]
    chaining.chain(deferral.records, commit=commit)
    deferral.records.clear()


def flush() -> None:
    """Chain the audit records this transaction has appended so far, now (before reading the
    trail or its head inside the transaction that wrote them)."""
    deferral: AuditDeferral | None = getattr(connection, "audit_deferral", None)
    if deferral is not None and deferral.records:
        deferral.chain()


def chain_head() -> tuple[int, str]:
    """The audit chain's last sequence number and hash, this transaction's records
    included."""
    flush()
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS)


# The apps whose rows are trial data: the database lock freezes them all. Accounts and roles
# (sites) stay writable, so that people can still log in and export after the lock.
LOCKED_APPS = frozenset({"screening", "visits", "crfs", "queries", "review", "endpoints", "entry"})


def database_locked() -> bool:
    """Whether the database lock is set."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT locked FROM {chaining.HEAD_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return bool(row and row[0])


@transaction.atomic
def set_database_lock(
    locked: bool, *, actor: Actor, reason: str, data: Mapping[str, Any]
) -> AuditRecord:
    """Set or lift the database lock and audit it (the locking services check who may)."""
    record = _append(
        "locking.database.locked" if locked else "locking.database.unlocked",
        actor=actor,
        reason=reason,
        data=data,
    )
    flush()  # this transaction's earlier records are chained as before the lock changes
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {chaining.HEAD_TABLE} SET locked = %s WHERE id = 1", [locked])
    return record


@transaction.atomic
def append(
    action: str,
    *,
    actor: Actor,
    obj: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
    patient: str = "",
    centre: str = "",
) -> AuditRecord:
    """Record an action that changes no audited row (a login, an export, a verification)."""
    return _append(
        action, actor=actor, obj=obj, data=data, reason=reason, patient=patient, centre=centre
    )


def _validate(obj: models.Model) -> None:
    # a foreign key whose object the caller handed over exists: don't query for it again
    in_hand = [f.name for f in obj._meta.concrete_fields if f.is_relation and f.is_cached(obj)]
    try:
        obj.full_clean(exclude=in_hand)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        value = getattr(obj, field_name, None) if field_name != "__all__" else None
        raise InvalidInput(field_name, "; ".join(messages), value) from None


def _guard(obj: AuditedModel) -> None:
    """Refuse the write when the row is frozen or locked (``LockedError``)."""
    obj.check_writable()


@transaction.atomic
def create(
    obj: M, *, actor: Actor, action: str | None = None, reason: str = "", validated: bool = False
) -> M:
    """Validate (unless the caller just did) and insert ``obj``; audit it with its state."""
    return create_within(obj, actor=actor, action=action, reason=reason, validated=validated)


def create_within(
    obj: M, *, actor: Actor, action: str | None = None, reason: str = "", validated: bool = False
) -> M:
    """``create`` for a caller already inside ``transaction.atomic`` that lets every error
    propagate out of it (as ``save_form`` does): the same writes, without a savepoint of
    its own. Refuses to run outside a transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.create_within must run inside transaction.atomic")
    if not validated:
        _validate(obj)
    _guard(obj)
    obj.version = 1
    compiled.insert(obj)
    state = snapshot(obj)
    _append(
        action or f"{model_label(obj)}.created",
        actor=actor,
        obj=obj,
        changes={k: (None, v) for k, v in state.items() if v not in (None, "")},
        state=state,
        reason=reason,
    )
    return obj


@dataclass(frozen=True)
class Conflict:
    """What another person changed since the version this edit started from."""

    by: str
    at: str
    changes: dict[str, list[Any]] = field(default_factory=dict)

    def describe(self) -> str:
        fields = ", ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in self.changes.items())
        return f"{self.by} changed this record at {self.at} ({fields or 'no field values'})"


def _conflict(obj: AuditedModel, since_version: int) -> ConflictError:
    flush()
    records = AuditRecord.objects.filter(model=model_label(obj), object_pk=str(obj.pk))
    later = [json.loads(r.payload) for r in records.order_by("seq")]
    changed = later[since_version:] if len(later) > since_version else later[-1:]
    merged: dict[str, list[Any]] = {}
    for entry in changed:
        merged.update(entry["changes"])
    last = changed[-1] if changed else {"actor": "someone", "at": "?"}
    conflict = Conflict(by=last["actor"], at=last["at"], changes=merged)
    error = ConflictError(
        f"version {since_version} is out of date (now {obj.version}): {conflict.describe()}"
    )
    error.conflict = conflict  # type: ignore[attr-defined]
    return error


@transaction.atomic
def update(
    obj: M,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    reason: str,
    action: str | None = None,
    unlocking: bool = False,
) -> M:
    """Apply ``changes`` to the stored row if nobody saved it since ``expected_version``.

    A reason for the change is required (the row has been saved before). Only fields that
    really change are recorded; an update that changes nothing writes nothing. A frozen or
    locked row refuses the change, judged on its stored state; only the locking services pass
    ``unlocking=True`` to lift a freeze or a lock.
    """
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if not unlocking:
        _guard(current)
    if current.version != expected_version:
        raise _conflict(current, expected_version)
    if not reason.strip():
        raise InvalidInput("reason", "a reason for the change is required once a form is saved")
    names = {f.name: f for f in current._meta.concrete_fields}
    for key in changes:
        if key not in names or key in ("id", "version"):
            raise InvalidInput(key, "not a field that can be changed", changes[key])
    before = snapshot(current)
    for key, value in changes.items():
        setattr(current, key, value)
    _validate(current)
    after = snapshot(current)
    diff = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if not diff:
        return current
    current.version += 1
    current.save()
    _append(
        action or f"{model_label(current)}.updated",
        actor=actor,
        obj=current,
        changes=diff,
        state=snapshot(current),
        reason=reason,
    )
    return current


@transaction.atomic
def delete(obj: AuditedModel, *, actor: Actor, reason: str, action: str | None = None) -> None:
    """Delete the row; the audit record keeps its last state in ``changes``."""
    if not reason.strip():
        raise InvalidInput("reason", "a reason is required to delete a record")
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    _guard(current)
    before = snapshot(current)
    pk = current.pk
    _append(
        action or f"{model_label(current)}.deleted",
        actor=actor,
        obj=current,
        changes={k: (v, None) for k, v in before.items()},
        deleted=True,
        reason=reason,
    )
    current.delete()
    current.pk = pk


# -- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of ``verify``: the first broken link and every problem found."""

    records: int
    rows: int
    head_hash: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> str | None:
        return self.problems[0] if self.problems else None


_COLUMNS = ("actor", "action", "model", "patient", "centre", "reason")


def audited_models() -> list[type[AuditedModel]]:
    return [m for m in apps.get_models() if issubclass(m, AuditedModel)]


def verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Check the chain link by link, then every audited row against its last audit state.

    Catches an edited, inserted or deleted audit record (broken hash or sequence), a deleted
    tail (the chain head disagrees), and any row of an audited table changed, inserted or
    deleted behind the service layer (its state differs from the audit trail's).
    """
    flush()
    problems: list[str] = []
    prev, expected, count = GENESIS, 1, 0
    last_state: dict[tuple[str, str], tuple[int, str | None]] = {}
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        # A broken link is reported, and the replay goes on, so that the row check below
        # still compares every row with the trail as it stands.
        where = f"audit record #{record.seq}"
        if record.seq != expected:
            problems.append(f"audit record #{expected} is missing (next is #{record.seq})")
        elif record.prev_hash != prev or link_hash(prev, record.payload) != record.hash:
            problems.append(f"{where} was altered: its hash does not match its content")
        payload = json.loads(record.payload)
        stored = {c: getattr(record, c) for c in _COLUMNS} | {"pk": record.object_pk}
        altered = [c for c in (*_COLUMNS, "pk") if payload[c] != stored[c]]
        if altered:
            problems.append(f"{where} was altered: column {altered[0]} differs from its payload")
        if payload["model"]:
            key = (payload["model"], payload["pk"])
            digest = None if payload["deleted"] else state_digest(payload["state"])
            last_state[key] = (record.seq, digest)
        prev, expected, count = record.hash, record.seq + 1, count + 1
        if progress and count % 10000 == 0:
            progress(count)
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    last_seq = expected - 1
    if head_seq != last_seq or head_hash != prev:
        problems.append(
            f"the chain ends at record #{last_seq} but its head says #{head_seq}: "
            "records were removed from the end"
            if head_seq > last_seq
            else f"the chain head does not match record #{last_seq}"
        )
    rows = 0
    for model in audited_models():
        label = model_label(model)
        for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            rows += 1
            key = (label, str(obj.pk))
            seq_digest = last_state.pop(key, None)
            if seq_digest is None or seq_digest[1] is None:
                problems.append(f"{label} #{obj.pk} exists but no audit record created it")
            elif state_digest(snapshot(obj)) != seq_digest[1]:
                fields = _differing_fields(obj, seq_digest[0])
                problems.append(
                    f"{label} #{obj.pk} differs from audit record #{seq_digest[0]} "
                    f"(changed behind the system's back: {', '.join(fields)})"
                )
    for (label, pk), (seq, digest) in sorted(last_state.items()):
        if digest is not None:
            problems.append(f"{label} #{pk} was deleted without an audit record (last #{seq})")
    return VerifyResult(records=count, rows=rows, head_hash=prev, problems=tuple(problems))


def _differing_fields(obj: models.Model, seq: int) -> list[str]:
    state = json.loads(AuditRecord.objects.get(seq=seq).payload)["state"]
    now = snapshot(obj)
    return sorted(k for k in set(now) | set(state) if now.get(k) != state.get(k))


def history(model: str, pk: str) -> Iterable[dict[str, Any]]:
    """The audit entries of one row, oldest first, as dicts (for the field/form trail)."""
    flush()
    for record in AuditRecord.objects.filter(model=model, object_pk=pk).order_by("seq"):
        yield json.loads(record.payload) | {"hash": record.hash}
