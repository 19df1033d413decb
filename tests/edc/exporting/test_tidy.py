"""Tidy tables: typed columns, labelled categories, missing codes apart, trail and review status."""

from __future__ import annotations

import csv
import io

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.exporting.tidy import tidy_tables
from ramunet.edc.exporting.trail import casebook_digests
from ramunet.edc.review.services import casebook_digest
from ramunet.exports.tables import table_csv_lines


def _table(name):
    return next(t for t in tidy_tables() if t.name == name)


def _rows(name):
    text = "".join(table_csv_lines(_table(name)))
    return list(csv.DictReader(io.StringIO(text)))


def test_one_table_per_form_with_one_row_per_form(trial):
    names = {t.name for t in tidy_tables()}
    assert {"form_haem", "form_ae", "form_qlqc30", "form_tumour"} <= names
    assert [r["patient_id"] for r in _rows("form_exposure")] == [
        "HAL-001",
        "HAL-001",
        "HAL-002",
        "MAR-001",
    ]


def test_columns_carry_type_and_unit(trial):
    anc = next(c for c in _table("form_haem").columns if c.name == "anc")
    assert (anc.kind, anc.unit, anc.label) == ("decimal", "10^9/L", "absolute neutrophil count")


def test_choice_field_has_a_label_column(trial):
    (ae,) = _rows("form_ae")
    assert (ae["outcome"], ae["outcome_label"]) == ("recovered", "recovered/resolved")


def test_missing_code_is_kept_apart_from_not_answered(trial):
    (haem,) = _rows("form_haem")
    assert haem["wbc"] == "" and haem["lymphocytes"] == ""
    missing = [(r["form"], r["field"], r["code"], r["meaning"]) for r in _rows("missing_values")]
    assert missing == [("HAEM", "wbc", "ND", "not done")]


def test_multiple_choice_answers_have_their_own_table(trial):
    rows = _rows("multi_choice")
    assert [(r["form"], r["field"], r["answer"]) for r in rows] == [
        ("AE", "seriousness", "hospitalisation")
    ]


def test_formula_text_is_escaped_in_csv(trial):
    dacarbazine = [r for r in _rows("form_exposure") if r["drug"] == "dacarbazine"]
    assert dacarbazine[0]["deviation_reason"] == "'=rounded by pharmacy"


def test_audit_trail_redacts_screening_initials(trial):
    initials = [r for r in _rows("audit_changes") if r["field"] == "initials"]
    assert initials and {r["new_value"] for r in initials} == {"(redacted)"}


def test_audit_changes_join_their_records_by_seq(trial):
    records = {r["seq"]: r for r in _rows("audit_records")}
    changes = _rows("audit_changes")
    assert changes and {c["seq"] for c in changes} <= set(records)
    joined = [
        (records[c["seq"]]["action"], records[c["seq"]]["patient_id"], c["field"], c["new_value"])
        for c in changes
        if c["field"] == "anc"
    ]
    assert joined and all(action.startswith("crf.") for action, *_ in joined)
    assert (
        records[changes[0]["seq"]]["hash"]
        == AuditRecord.objects.get(seq=int(changes[0]["seq"])).hash
    )


def test_query_log_and_sdv_status(trial, workflow):
    (query,) = [r for r in _rows("queries") if r["origin"] == "manual"]
    assert (query["patient_id"], query["field"], query["status"]) == ("HAL-001", "anc", "answered")
    thread = [r for r in _rows("query_messages") if r["query_id"] == query["query_id"]]
    assert [(r["kind"], r["text"][:8]) for r in thread] == [
        ("raised", "'=please"),
        ("answered", "confirme"),
    ]
    haem = next(r for r in _rows("sdv_status") if r["form"] == "HAEM")
    assert (haem["sdv_by"], haem["sdv_current"]) == ("monitor.export", "true")


def test_signature_is_current_until_the_casebook_changes(trial, workflow):
    (signature,) = _rows("signatures")
    assert (signature["patient_id"], signature["current"]) == ("HAL-001", "true")


def test_casebook_digests_in_bulk_equal_the_review_service(trial, workflow):
    patients = list(trial.values())
    digests = casebook_digests([p.pk for p in patients])
    assert all(digests[p.pk] == casebook_digest(p) for p in patients)


def test_signature_no_longer_current_after_a_change(trial, workflow):
    from tests.factories import edit_haem

    edit_haem("system", workflow["haem"], "2.6")
    (signature,) = _rows("signatures")
    assert signature["current"] == "false"


def test_audit_changes_are_read_as_a_full_decode_reads_them(trial):
    import json

    from ramunet.edc.audit.models import AuditRecord
    from ramunet.edc.exporting.trail import _changes

    for payload in AuditRecord.objects.values_list("payload", flat=True):
        assert _changes(payload) == (json.loads(payload).get("changes") or {})


def test_audit_changes_are_formula_escaped_by_their_producer_for_the_plain_writer(trial):
    from ramunet.exports.tables import table_csv_blocks

    table = _table("audit_changes")
    assert table.plain
    text = "".join(table_csv_blocks(table))
    assert text == "".join(table_csv_lines(table))
    reasons = [
        r["new_value"]
        for r in csv.DictReader(io.StringIO(text))
        if r["field"] == "deviation_reason" and "rounded by pharmacy" in r["new_value"]
    ]
    assert reasons == ["'=rounded by pharmacy"]


def test_audit_records_escape_a_formula_reason_and_equal_the_checked_writer(trial):
    from ramunet.edc.audit import services as audit
    from ramunet.exports.tables import table_csv_blocks

    audit.append("export.table", actor="+dm", reason="=HYPERLINK(1)", data={"table": "x"})
    table = _table("audit_records")
    assert table.plain
    text = "".join(table_csv_blocks(table))
    assert text == "".join(table_csv_lines(table))
    last = list(csv.DictReader(io.StringIO(text)))[-1]
    assert (last["actor"], last["reason"]) == ("'+dm", "'=HYPERLINK(1)")


def test_audit_record_times_read_as_text_equal_the_aware_times_django_reads(trial):
    import datetime as dt

    from ramunet.edc.exporting.trail import RECORD_COLUMNS, audit_rows

    first = AuditRecord.objects.order_by("seq").first()
    whole_second = dt.datetime(2026, 11, 25, 8, 0, 0, tzinfo=dt.UTC)  # no microseconds
    AuditRecord.objects.filter(pk=first.pk).update(at=whole_second)
    django_rows = [
        (seq, at.isoformat(), *rest)
        for seq, at, *rest in AuditRecord.objects.order_by("seq").values_list(*RECORD_COLUMNS)
    ]
    rows = list(audit_rows(RECORD_COLUMNS))
    assert rows == django_rows
    assert rows[0][1] == "2026-11-25T08:00:00+00:00"
    one = first.patient or "HAL-001"
    assert list(audit_rows(RECORD_COLUMNS, [one])) == [r for r in django_rows if r[6] == one]
