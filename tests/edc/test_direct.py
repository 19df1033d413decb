"""Statements run on the driver's connection (``ramunet.edc.direct``) and the compiled
INSERT (``compiled.insert``): the same rows, errors and transaction rules as through
Django's cursor and ``Model.save``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from ramunet.edc import compiled, direct
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.sites.models import Centre, Membership, ReferenceRange
from tests.factories import make_patient, make_person

CENTRES = f"SELECT code, name FROM {Centre._meta.db_table} WHERE code LIKE %s ORDER BY code"


def test_rows_are_those_of_djangos_cursor_with_literal_percent_and_parameters(centre_a, centre_b):
    with connection.cursor() as cursor:
        cursor.execute(CENTRES, ["%"])
        expected = cursor.fetchall()
    assert len(expected) == 2
    assert direct.fetchall(CENTRES, ["%"]) == [tuple(row) for row in expected]
    assert direct.fetchone(CENTRES, [centre_b.code]) == (centre_b.code, centre_b.name)
    assert direct.fetchone(CENTRES, ["none"]) is None
    literal = f"SELECT code FROM {Centre._meta.db_table} WHERE code LIKE 'H%%' AND code = %s"
    assert direct.fetchall(literal, [centre_a.code]) == [(centre_a.code,)]


def test_a_broken_constraint_raises_djangos_integrity_error_and_saves_nothing(centre_a):
    before = Centre.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        compiled.insert(Centre(code="ZZZ", name="Z centre", version=1))
        compiled.insert(Centre(code="ZZZ", name="Z centre again", version=1))  # unique code
    assert Centre.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        direct.execute(f"UPDATE {Centre._meta.db_table} SET name = %s", [None])  # NOT NULL
    assert Centre.objects.get().name == centre_a.name


def test_a_transaction_that_must_roll_back_refuses_further_statements(centre_a):
    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            direct.fetchone(CENTRES, ["%"])


def test_logged_queries_and_execute_wrappers_see_the_statements(centre_a):
    with CaptureQueriesContext(connection) as logged:
        direct.fetchone(CENTRES, ["%"])
    assert [q["sql"] for q in logged.captured_queries] == [CENTRES % "'%'"]
    seen: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert direct.fetchone(CENTRES, [centre_a.code]) == (centre_a.code, centre_a.name)
    assert seen == [CENTRES]


def _columns(row: Any) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}


def test_compiled_insert_writes_what_save_writes(centre_a):
    patient = make_patient(centre_a)
    values = dict(
        patient=patient, version=1, form_date=dt.date(2026, 1, 19), hemoglobin=Decimal("11.20"),
        hemoglobin_unit="g/dL", anc=Decimal("2.1"), anc_unit="10^9/L", derived={"a": ["1"]},
    )  # fmt: skip
    ours, saved = Haematology(**values), Haematology(**values)
    compiled.insert(ours)
    saved.save(force_insert=True)
    assert ours.pk is not None and ours.pk == saved.pk - 1
    assert not ours._state.adding and ours._state.db == "default"
    assert _columns(Haematology.objects.get(pk=ours.pk)) | {"id": 0} == _columns(
        Haematology.objects.get(pk=saved.pk)
    ) | {"id": 0}


def test_compiled_insert_prepares_fields_as_save_does(centre_a):
    user = make_person("nurse.x", "nurse", centre_a)
    granted = Membership(user=user, role="monitor", centre=centre_a)
    compiled.insert(granted)
    stored = Membership.objects.get(pk=granted.pk)
    assert stored.granted_at is not None and stored.granted_at == granted.granted_at


def test_compiled_insert_refuses_an_unsaved_relation_as_save_does(centre_a):
    unsaved = Centre(code="NEW", name="not saved", country="DE")
    with pytest.raises(ValueError, match="unsaved related object 'centre'"):
        compiled.insert(ReferenceRange(centre=unsaved, analyte="anc", unit="10^9/L"))


def test_compiled_insert_leaves_a_model_with_save_receivers_to_save(centre_a):
    heard: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        heard.append(instance)

    signals.post_save.connect(receiver, sender=Centre)
    try:
        centre = Centre(code="RCV", name="heard", version=1)
        compiled.insert(centre)
    finally:
        signals.post_save.disconnect(receiver, sender=Centre)
    assert heard == [centre] and Centre.objects.get(code="RCV").pk == centre.pk
