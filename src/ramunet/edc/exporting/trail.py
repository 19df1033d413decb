"""The trail tables: audit trail, query log and threads, SDV and review marks, signatures.

Streamed like the tidy tables (``tidy``). The audit trail is two tables joined on
``seq``: ``audit_records``, one row per audited write (who, when, what, why, its chain hash),
and ``audit_changes``, one row per field a write changed (old and new value), so the record's
context is not repeated on each of its fields (Wickham 2014: one kind of observational unit
per table). ``ramunet audit export`` gives the joined form for a filtered view. Identifying
screening data (initials, the full date of birth in the screening data) are redacted, so
patients appear only under their pseudonymous IDs. A signature is ``current`` while the
casebook digest it signed equals the casebook's digest now (``review.services``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Collection, Iterator, Sequence
from typing import Any, Final

from django.db import connections

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import FORMS, Lesion, LesionMeasurement
from ramunet.edc.exporting.rows import values_rows
from ramunet.edc.exporting.source import chunks
from ramunet.edc.queries.models import Query, QueryMessage
from ramunet.edc.review.models import FormMark, Signature
from ramunet.exports.changes_csv import changes_csv
from ramunet.exports.csvsafe import FORMULA_TRIGGERS, escape_formula
from ramunet.exports.tables import Column, ColumnKind, Table

CHUNK_ROWS: Final = 2000
_TRIGGERS: Final = frozenset("".join(FORMULA_TRIGGERS))
# screening initials and the full date of birth in the screening data: not pseudonymous
REDACTED_FIELDS: Final = frozenset({"initials", "date_of_birth"})
_REDACTED_NAMES: Final = tuple(sorted(REDACTED_FIELDS))


def _stream(queryset: Any) -> Iterator[tuple[Any, ...]]:
    return values_rows(queryset, CHUNK_ROWS)


RECORD_COLUMNS: Final = (
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
)


def _redacted(value: Any) -> Any:
    """``value`` with every identifying key (``REDACTED_FIELDS``) inside it redacted."""
    if isinstance(value, dict):
        return {
            key: ("(redacted)" if key in REDACTED_FIELDS and item else _redacted(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


#: JSON as the canonical payload holds it (``audit.chain.canonical``)
_ENCODER: Final = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
#: the text of a changed value by its type; anything else is written as JSON
_PLAIN_TEXT: Final[dict[type, Any]] = {
    str: lambda value: value,
    type(None): lambda value: "",
    int: str,
    bool: lambda value: "true" if value else "false",
}


def _json_text(value: Any) -> str:
    """A changed value as one cell: text as it is, nothing as empty, the rest as JSON."""
    plain = _PLAIN_TEXT.get(type(value))
    if plain is not None:
        return plain(value)  # type: ignore[no-any-return]
    if not value and type(value) in (dict, list):  # most JSON values changed: {} or []
        return "{}" if type(value) is dict else "[]"
    return _ENCODER.encode(value)


_DECODER: Final = json.JSONDecoder()
_CHANGES: Final = '"changes":'


def _changes(payload: str) -> dict[str, Any]:
    """The ``changes`` of a canonical audit payload, without decoding the (large) ``state``.

    The payload's keys are sorted and the keys before ``changes`` (action, actor, at,
    centre) hold strings, in which a quote is escaped: the first unescaped ``"changes":`` is
    the key (``audit.chain.canonical``).
    """
    start = payload.find(_CHANGES)
    if start < 0:
        return {}
    value, _ = _DECODER.raw_decode(payload, start + len(_CHANGES))
    return value or {}


def audit_rows(
    columns: Sequence[str], patients: Collection[str] | None = None
) -> Iterator[tuple[Any, ...]]:
    """The ``columns`` of every audit record (of ``patients`` only, when given), oldest
    first, with ``at`` as ISO 8601 text.

    SQLite keeps a date time as the text of its naive UTC value (``str``, what Django's
    SQLite backend writes), so where the connection's time zone is UTC ``at`` is read as
    that text (``CAST AS TEXT``) and made ISO 8601 by its ``T`` and offset: the same text as
    ``isoformat`` of the aware value Django reads, without a parse and an ``isoformat`` per
    record (a third of the audit_records table's cost). Elsewhere through Django."""
    connection = connections[AuditRecord.objects.db]
    at = columns.index("at")
    if connection.vendor != "sqlite" or connection.timezone_name != "UTC":
        queryset = AuditRecord.objects.order_by("seq")
        if patients is not None:
            queryset = queryset.filter(patient__in=list(patients))
        for row in _stream(queryset.values_list(*columns)):
            yield (*row[:at], row[at].isoformat(), *row[at + 1 :])
        return
    quote = connection.ops.quote_name
    names = [quote(AuditRecord._meta.get_field(name).column) for name in columns]
    names[at] = f"CAST({names[at]} AS TEXT)"
    table = quote(AuditRecord._meta.db_table)
    where, params = "", list(patients or ())
    if patients is not None:
        patient = quote(AuditRecord._meta.get_field("patient").column)
        where = f" WHERE {patient} IN ({', '.join(['%s'] * len(params))})"
    seq = quote(AuditRecord._meta.get_field("seq").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(names)} FROM {table}{where} ORDER BY {seq}", params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            for row in rows:
                stamp = row[at]
                yield (*row[:at], f"{stamp[:10]}T{stamp[11:]}+00:00", *row[at + 1 :])


def audit_record_tuples() -> Iterator[tuple[Any, ...]]:
    """One row per audited write, oldest first (no payload read: every column is its own);
    the time as ISO 8601 text and the person's name, the object's key and the reason
    formula-escaped here, so the rows go to the CSV writer as they are (``Table.plain``; the
    other columns hold names and codes the system makes, and the chain hash)."""
    for seq, at, actor, action, model, pk, patient, centre, reason, chain in audit_rows(
        RECORD_COLUMNS
    ):
        if actor[:1] in _TRIGGERS:
            actor = escape_formula(actor)
        if reason[:1] in _TRIGGERS:
            reason = escape_formula(reason)
        if pk[:1] in _TRIGGERS:
            pk = escape_formula(pk)
        yield (seq, at, actor, action, model, pk, patient, centre, reason, chain)


def _identifying(payload: str) -> bool:
    """Whether ``payload`` may hold identifying screening data (a name of
    ``REDACTED_FIELDS`` anywhere in its text)."""
    return any(name in payload for name in _REDACTED_NAMES)


def _change_rows(seq: int, payload: str) -> Iterator[tuple[Any, ...]]:
    """One record's changed fields as rows (seq, field, old, new), decoded in full;
    identifying screening data redacted; values as CSV text, formula-escaped."""
    changes = _changes(payload)
    sensitive = _identifying(payload)
    for name, (old, new) in changes.items():
        if sensitive and name in REDACTED_FIELDS:
            old, new = ("(redacted)" if old else ""), ("(redacted)" if new else "")
        elif sensitive and (isinstance(old, dict | list) or isinstance(new, dict | list)):
            old, new = _redacted(old), _redacted(new)
        before, after = _json_text(old), _json_text(new)
        if before[:1] in _TRIGGERS:
            before = escape_formula(before)
        if after[:1] in _TRIGGERS:
            after = escape_formula(after)
        yield (seq, name, before, after)


def audit_change_tuples() -> Iterator[tuple[Any, ...]]:
    """One row per changed field of every audited write, oldest first, fields in name order
    (the canonical payload's order: its keys are sorted); identifying screening data
    redacted; values as CSV text, formula-escaped (the table's reference form)."""
    queryset = AuditRecord.objects.order_by("seq").values_list("seq", "payload")
    for seq, payload in _stream(queryset):
        yield from _change_rows(seq, payload)


BLOCK_CHARS: Final = 1 << 20


def audit_change_text() -> Iterator[str]:
    """The CSV text of ``audit_change_tuples`` (no header), in blocks of about a megabyte:
    each payload's lines cut from its JSON text (``changes_csv``), or, where it holds
    identifying screening data or another shape, written from its decoded rows."""
    queryset = AuditRecord.objects.order_by("seq").values_list("seq", "payload")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    block: list[str] = []
    size = 0
    for seq, payload in _stream(queryset):
        text = None if _identifying(payload) else changes_csv(seq, payload)
        if text is None:
            writer.writerows(_change_rows(seq, payload))
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        block.append(text)
        size += len(text)
        if size >= BLOCK_CHARS:
            yield "".join(block)
            block, size = [], 0
    yield "".join(block)


def _audit_records() -> Table:
    kinds: dict[str, ColumnKind] = {"seq": "integer", "at": "datetime"}
    renamed = {"patient": "patient_id"}
    columns = tuple(
        Column(renamed.get(name, name), kinds.get(name, "text")) for name in RECORD_COLUMNS
    )
    return Table(
        "audit_records",
        "audit trail, one row per audited write (who, when, what, why, its chain hash)",
        columns,
        audit_record_tuples,
        plain=True,
    )


def _audit_changes() -> Table:
    columns = (
        Column("seq", "integer", "the audit record (audit_records.seq)"),
        Column("field", "text"),
        Column("old_value", "text", "before the write; JSON (compact, keys sorted) unless text"),
        Column("new_value", "text", "after the write; JSON (compact, keys sorted) unless text"),
    )
    return Table(
        "audit_changes",
        "audit trail, one row per field a write changed (joins audit_records on seq)",
        columns,
        audit_change_tuples,
        plain=True,
        text=audit_change_text,
    )


def _queries() -> Table:
    names = (
        "pk",
        "patient__code",
        "form_model",
        "form_pk",
        "field",
        "origin",
        "rule",
        "status",
        "raised_by",
        "raised_at",
        "closed_at",
    )
    kinds: dict[str, ColumnKind] = {
        "pk": "integer",
        "form_pk": "integer",
        "raised_at": "datetime",
        "closed_at": "datetime",
    }
    renamed = {"pk": "query_id", "patient__code": "patient_id", "form_pk": "record_id"}
    columns = tuple(Column(renamed.get(n, n), kinds.get(n, "text")) for n in names)
    return Table(
        "queries",
        "query log",
        columns,
        lambda: _stream(Query.objects.order_by("patient__code", "pk").values_list(*names)),
    )


def _query_messages() -> Table:
    names = ("query_id", "kind", "author", "at", "text")
    kinds: dict[str, ColumnKind] = {"query_id": "integer", "at": "datetime"}
    columns = tuple(Column(n, kinds.get(n, "text")) for n in names)
    return Table(
        "query_messages",
        "query threads",
        columns,
        lambda: _stream(QueryMessage.objects.order_by("query_id", "at", "pk").values_list(*names)),
    )


def _sdv_status() -> Table:
    columns = (
        Column("patient_id", "text"),
        Column("form", "text"),
        Column("record_id", "integer"),
        Column("form_version", "integer", "the form's current version"),
        Column("sdv_by", "text"),
        Column("sdv_at", "datetime"),
        Column("sdv_current", "boolean", "source data verified at the current version"),
        Column("review_by", "text"),
        Column("review_at", "datetime"),
        Column("review_current", "boolean", "reviewed at the current version"),
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        for code, model in FORMS.items():
            label = model._meta.label
            marks: dict[tuple[int, str], tuple[str, Any, int]] = {}
            for pk, kind, by, at, version in _stream(
                FormMark.objects.filter(form_model=label)
                .order_by("at", "pk")
                .values_list("form_pk", "kind", "by", "at", "form_version")
            ):
                marks[(pk, kind)] = (by, at, version)
            queryset = model.objects.order_by("patient__code", "pk").values_list(
                "patient__code", "pk", "version"
            )
            for patient, pk, version in _stream(queryset):
                sdv = marks.get((pk, FormMark.Kind.SDV))
                review = marks.get((pk, FormMark.Kind.REVIEW))
                yield (
                    patient,
                    code,
                    pk,
                    version,
                    sdv[0] if sdv else "",
                    sdv[1] if sdv else None,
                    sdv is not None and sdv[2] == version,
                    review[0] if review else "",
                    review[1] if review else None,
                    review is not None and review[2] == version,
                )

    return Table("sdv_status", "SDV and data-management review per form", columns, rows)


def casebook_digests(patient_ids: list[int]) -> dict[int, tuple[str, int]]:
    """``review.services.casebook_digest`` of many patients: one query per model, reading
    only ids and versions."""
    entries: dict[int, list[tuple[str, int, int]]] = {pk: [] for pk in patient_ids}
    sources: list[tuple[str, Any, str]] = [
        (model._meta.label, model.objects, "patient_id") for model in FORMS.values()
    ]
    sources += [
        ("crfs.Lesion", Lesion.objects, "patient_id"),
        ("crfs.LesionMeasurement", LesionMeasurement.objects, "lesion__patient_id"),
    ]
    for label, manager, owner in sources:
        rows = manager.filter(**{f"{owner}__in": patient_ids}).values_list(owner, "pk", "version")
        for patient_id, pk, version in rows:
            entries[patient_id].append((label, pk, version))
    digests = {}
    for patient_id, found in entries.items():
        text = "\n".join(f"{label}:{pk}:{version}" for label, pk, version in sorted(found))
        digests[patient_id] = (hashlib.sha256(text.encode()).hexdigest(), len(found))
    return digests


def _signatures() -> Table:
    columns = (
        Column("patient_id", "text"),
        Column("signer", "text"),
        Column("signed_at", "datetime"),
        Column("meaning", "text"),
        Column("forms_signed", "integer"),
        Column("casebook_digest", "text", "SHA-256 of the casebook signed"),
        Column("current", "boolean", "the casebook is unchanged since the signature"),
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        for chunk in chunks(forms=(), extras=()):
            ids = {p["pk"]: p["code"] for p in chunk.patients}
            signed = (
                Signature.objects.filter(patient_id__in=list(ids))
                .order_by("patient__code", "signed_at", "pk")
                .values_list(
                    "patient_id",
                    "signer",
                    "signed_at",
                    "meaning",
                    "forms_signed",
                    "casebook_digest",
                )
            )
            rows = list(signed)
            current = casebook_digests(sorted({row[0] for row in rows})) if rows else {}
            for patient_id, signer, at, meaning, forms, digest in rows:
                yield (
                    ids[patient_id],
                    signer,
                    at,
                    meaning,
                    forms,
                    digest,
                    digest == current[patient_id][0],
                )

    return Table("signatures", "casebook signatures and whether they still hold", columns, rows)


def trail_tables() -> tuple[Table, ...]:
    """Audit trail, queries, query messages, SDV status, signatures."""
    return (
        _audit_records(),
        _audit_changes(),
        _queries(),
        _query_messages(),
        _sdv_status(),
        _signatures(),
    )
