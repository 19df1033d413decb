"""A transaction's audit records are chained when it ends: the chain head is locked only for
their inserts and the commit, a rolled-back part leaves no record, and the chain stays whole."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from ramunet.clinical.errors import ConflictError, LockedError
from ramunet.edc.audit import chaining
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.chain import canonical, link_hash
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.sites.models import Centre
from tests.factories import make_centre, make_patient, save_haem


class Rollback(Exception):
    pass


def centre_records(centre: Centre) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(model="ramunet_sites.Centre", object_pk=str(centre.pk)))


def rename(centre: Centre, city: str, version: int) -> Centre:
    return audit.update(
        centre, {"city": city}, actor="system", expected_version=version, reason="moved"
    )


@pytest.fixture
def centre(db):
    return make_centre("HAL")


def test_records_of_a_transaction_wait_for_its_end_then_link_in_order(centre):
    head_before = audit.chain_head()
    with transaction.atomic():
        rename(centre, "Halle", 1)
        rename(centre, "Halle (Saale)", 2)
        # not in the table yet: the chain head is not locked while the transaction works
        assert AuditRecord.objects.count() == head_before[0]
    first, second = AuditRecord.objects.filter(seq__gt=head_before[0]).order_by("seq")
    assert (first.seq, second.seq) == (head_before[0] + 1, head_before[0] + 2)
    assert first.prev_hash == head_before[1] and second.prev_hash == first.hash
    assert second.hash == link_hash(first.hash, second.payload)
    assert json.loads(first.payload)["changes"] == {"city": ["", "Halle"]}
    assert json.loads(second.payload)["changes"] == {"city": ["Halle", "Halle (Saale)"]}
    assert first.at <= second.at
    assert audit.chain_head() == (second.seq, second.hash)
    assert audit.verify().ok


def test_a_chained_payload_is_the_canonical_text_of_its_content(centre):
    rename(centre, "Halle", 1)
    record = AuditRecord.objects.order_by("-seq").first()
    payload = json.loads(record.payload)
    assert record.payload == canonical(payload)
    assert payload["seq"] == record.seq
    assert payload["at"] == record.at.astimezone(dt.UTC).isoformat()
    assert payload["state"]["city"] == "Halle"


def test_a_rolled_back_savepoint_drops_the_records_written_inside_it(centre):
    head_before = audit.chain_head()
    with transaction.atomic():
        rename(centre, "Halle", 1)
        try:
            with transaction.atomic():
                audit.update(
                    centre, {"name": "Klinikum"}, actor="system", expected_version=2, reason="x"
                )
                raise Rollback
        except Rollback:
            pass
    records = AuditRecord.objects.filter(seq__gt=head_before[0])
    assert [json.loads(r.payload)["changes"] for r in records] == [{"city": ["", "Halle"]}]
    assert Centre.objects.get(pk=centre.pk).name == "Universitätsklinikum Halle"
    assert audit.verify().ok


def test_a_transaction_that_fails_leaves_no_record_and_the_head_unchanged(centre):
    head_before = audit.chain_head()
    with pytest.raises(Rollback), transaction.atomic():
        rename(centre, "Halle", 1)
        raise Rollback
    assert audit.chain_head() == head_before
    assert Centre.objects.get(pk=centre.pk).city == ""
    assert audit.verify().ok


def test_the_trail_read_inside_the_transaction_holds_its_own_records(centre):
    with transaction.atomic():
        rename(centre, "Halle", 1)
        assert [e["changes"] for e in audit.history("ramunet_sites.Centre", str(centre.pk))][
            -1
        ] == {"city": ["", "Halle"]}
        seq, digest = audit.chain_head()
        assert AuditRecord.objects.get(seq=seq).hash == digest
    assert audit.verify().ok


def test_a_conflict_inside_the_transaction_that_made_it_names_the_change(centre):
    with transaction.atomic():
        rename(centre, "Halle", 1)
        with pytest.raises(ConflictError, match="city: '' -> 'Halle'"):
            rename(centre, "Magdeburg", 1)


# -- two transactions at once (PostgreSQL: SQLite lets one writer in at a time) ----------------


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole write transactions (BEGIN IMMEDIATE)")


def _in_thread(work, started: threading.Event, go_on: threading.Event, outcome: list) -> None:
    try:
        with transaction.atomic():
            work()
            started.set()
            assert go_on.wait(30)
        outcome.append("committed")
    except Exception as error:  # handed to the test's thread
        outcome.append(error)
    finally:
        connections.close_all()


def test_an_open_transaction_with_records_does_not_hold_back_another_ones_append(
    transactional_db,
):
    _postgresql_only()
    halle, marburg = make_centre("HAL"), make_centre("MAR")
    started, go_on, outcome = threading.Event(), threading.Event(), []
    slow = threading.Thread(
        target=_in_thread, args=(lambda: rename(halle, "Halle", 1), started, go_on, outcome)
    )
    slow.start()
    try:
        assert started.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:  # blocked by the other's head lock: fail
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            rename(marburg, "Marburg", 1)
    finally:
        go_on.set()
        slow.join(30)
    assert outcome == ["committed"]
    fast_record, slow_record = centre_records(marburg)[-1], centre_records(halle)[-1]
    assert fast_record.seq + 1 == slow_record.seq  # chained in the order of the commits
    assert slow_record.prev_hash == fast_record.hash
    assert audit.verify().ok


def test_a_database_lock_set_while_a_transaction_was_open_refuses_its_trial_data(
    transactional_db, nurse_a, centre_a
):
    _postgresql_only()
    form = save_haem(nurse_a, make_patient(centre_a))
    started, go_on, outcome = threading.Event(), threading.Event(), []

    def change() -> None:
        audit.update(form, {"anc": Decimal("2.0")}, actor="nurse.a", expected_version=1, reason="x")

    late = threading.Thread(target=_in_thread, args=(change, started, go_on, outcome))
    late.start()
    try:
        assert started.wait(30)
        audit.set_database_lock(True, actor="datamanager", reason="final", data={})
    finally:
        go_on.set()
        late.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], LockedError)
    assert str(outcome[0]) == "the database is locked; no trial data can change"
    assert Haematology.objects.get(pk=form.pk).anc == Decimal("2.5")
    assert audit.verify().ok


@pytest.mark.parametrize(
    "body",
    [
        {"action": "a", "actor": "x", "centre": "", "changes": {}, "data": {}, "deleted": False,
         "model": "", "patient": "", "pk": "", "reason": "", "state": None},
        {"action": "crf.haem.updated", "actor": "nurse.a", "centre": "HAL",
         "changes": {"seq": [1, 2], "note": ['"quoted"', "Übelkeit, Grad 2"]},
         "data": {"seq": 7, "state": {"at": "x"}}, "deleted": False, "model": "crfs.Haematology",
         "patient": "HAL-001", "pk": "6", "reason": "typo\nin line 2",
         "state": {"seq": 3, "state": "nested", "z": [None, True, "1.5"]}},
    ],
)  # fmt: skip
def test_the_payload_made_in_two_parts_is_the_canonical_text_of_the_record(body):
    at = "2026-06-01T10:00:00.123456+00:00"
    head, tail = chaining.payload_parts(body, at)
    assert head + "42" + tail == canonical(body | {"at": at, "seq": 42})
