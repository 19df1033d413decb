"""The hash-chained audit trail: every write audited, tampering caught and named."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from ramunet.clinical.errors import ConflictError, InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.sites.models import Centre
from tests.factories import make_centre


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def centre(db):
    return make_centre("HAL")


def test_create_writes_one_audit_record_with_the_new_state(centre):
    records = AuditRecord.objects.filter(model="ramunet_sites.Centre", object_pk=str(centre.pk))
    assert [r.action for r in records] == ["centre.created"]
    payload = json.loads(records[0].payload)
    assert payload["state"]["code"] == "HAL"
    assert payload["changes"]["name"] == [None, "Universitätsklinikum Halle"]
    assert payload["actor"] == "system"


def test_update_records_old_and_new_value_and_reason(centre):
    audit.update(centre, {"city": "Halle"}, actor="system", expected_version=1, reason="typo")
    last = AuditRecord.objects.order_by("-seq").first()
    payload = json.loads(last.payload)
    assert payload["changes"] == {"city": ["", "Halle"]}
    assert payload["reason"] == "typo"
    assert Centre.objects.get(pk=centre.pk).version == 2


def test_update_without_reason_is_refused_and_saves_nothing(centre):
    with pytest.raises(InvalidInput) as error:
        audit.update(centre, {"city": "Halle"}, actor="system", expected_version=1, reason=" ")
    assert str(error.value) == ("reason: a reason for the change is required once a form is saved")
    assert Centre.objects.get(pk=centre.pk).city == ""


def test_update_that_changes_nothing_writes_no_record(centre):
    before = AuditRecord.objects.count()
    audit.update(centre, {"code": "HAL"}, actor="system", expected_version=1, reason="none")
    assert AuditRecord.objects.count() == before


def test_invalid_value_names_the_field_and_saves_nothing(centre):
    with pytest.raises(InvalidInput) as error:
        audit.update(centre, {"code": "hal1"}, actor="system", expected_version=1, reason="x")
    assert error.value.field == "code"
    assert "three capital letters" in str(error.value)
    assert Centre.objects.get(pk=centre.pk).code == "HAL"


def test_second_editor_of_a_stale_version_gets_a_conflict_showing_the_first_change(centre):
    first = Centre.objects.get(pk=centre.pk)
    second = Centre.objects.get(pk=centre.pk)
    audit.update(first, {"city": "Halle"}, actor="nurse.a", expected_version=1, reason="add city")
    with pytest.raises(ConflictError) as error:
        audit.update(second, {"city": "Leipzig"}, actor="nurse.b", expected_version=1, reason="x")
    assert "nurse.a changed this record" in str(error.value)
    assert "city: '' -> 'Halle'" in str(error.value)
    assert Centre.objects.get(pk=centre.pk).city == "Halle"


def test_verify_passes_on_an_untouched_trail(centre):
    result = audit.verify()
    assert result.ok, result.problems
    assert result.records == AuditRecord.objects.count()


def test_direct_sql_update_of_a_data_table_is_caught(centre):
    sql("UPDATE ramunet_sites_centre SET name = %s WHERE id = %s", "Forged", centre.pk)
    result = audit.verify()
    assert not result.ok
    assert result.first_broken.startswith(f"ramunet_sites.Centre #{centre.pk} differs from audit")
    assert "name" in result.first_broken


def test_direct_sql_delete_of_a_data_row_is_caught(centre):
    sql("DELETE FROM ramunet_sites_centre WHERE id = %s", centre.pk)
    result = audit.verify()
    assert result.problems == (
        f"ramunet_sites.Centre #{centre.pk} was deleted without an audit record (last #1)",
    )


def test_row_inserted_behind_the_system_is_caught(centre):
    sql(
        "INSERT INTO ramunet_sites_centre (code, name, city, country, version) "
        "VALUES ('XXX', 'Ghost', '', 'DE', 1)"
    )
    result = audit.verify()
    assert "exists but no audit record created it" in result.first_broken


def test_direct_sql_update_of_an_audit_record_is_caught(centre):
    sql("UPDATE audit_auditrecord SET payload = replace(payload, 'HAL', 'MAR') WHERE seq = 1")
    result = audit.verify()
    assert result.first_broken == "audit record #1 was altered: its hash does not match its content"


def test_deleted_audit_record_in_the_middle_is_caught(centre):
    audit.update(centre, {"city": "Halle"}, actor="system", expected_version=1, reason="a")
    audit.update(centre, {"city": "Halle (Saale)"}, actor="system", expected_version=2, reason="b")
    sql("DELETE FROM audit_auditrecord WHERE seq = 2")
    assert audit.verify().first_broken == "audit record #2 is missing (next is #3)"


def test_deleted_tail_of_the_chain_is_caught(centre):
    audit.append("export.written", actor="system")
    sql("DELETE FROM audit_auditrecord WHERE seq = (SELECT MAX(seq) FROM audit_auditrecord)")
    assert "records were removed from the end" in audit.verify().first_broken


def test_deleting_through_the_service_keeps_the_trail_intact(centre):
    audit.delete(centre, actor="system", reason="created by mistake")
    assert not Centre.objects.filter(pk=centre.pk).exists()
    result = audit.verify()
    assert result.ok, result.problems
    last = json.loads(AuditRecord.objects.order_by("-seq").first().payload)
    assert last["deleted"] is True
    assert last["changes"]["code"] == ["HAL", None]
