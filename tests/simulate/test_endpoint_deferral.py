"""``endpoints.deferred()``: one recomputation per patient when a bulk write ends."""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import FollowUp
from ramunet.edc.crfs.services import save_form
from ramunet.edc.endpoints import services as endpoints
from ramunet.edc.endpoints.models import PatientEndpoints
from tests.factories import make_patient

TODAY = dt.date(2026, 6, 1)


def follow_up(nurse, patient, day: dt.date) -> None:
    values = {"form_date": day, "vital_status": "alive"}
    save_form(nurse, FollowUp, patient=patient, values=values, today=TODAY)


def test_deferred_block_recomputes_once_at_its_end(centre_a, nurse_a):
    patient = make_patient(centre_a)
    with endpoints.deferred():
        follow_up(nurse_a, patient, dt.date(2026, 3, 1))
        follow_up(nurse_a, patient, dt.date(2026, 4, 1))
        assert not PatientEndpoints.objects.filter(patient=patient).exists()
    row = PatientEndpoints.objects.get(patient=patient)
    assert row.os_date == dt.date(2026, 4, 1)
    assert AuditRecord.objects.filter(action__startswith="endpoints.").count() == 1


def test_deferred_result_equals_the_immediate_one(centre_a, nurse_a):
    patient = make_patient(centre_a)
    follow_up(nurse_a, patient, dt.date(2026, 3, 1))
    immediate = PatientEndpoints.objects.get(patient=patient)
    with endpoints.deferred():
        follow_up(nurse_a, patient, dt.date(2026, 4, 1))
    deferred = PatientEndpoints.objects.get(patient=patient)
    assert (immediate.os_date, deferred.os_date) == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))


def test_an_error_in_the_block_recomputes_nothing(centre_a, nurse_a):
    patient = make_patient(centre_a)
    with pytest.raises(RuntimeError), endpoints.deferred():
        follow_up(nurse_a, patient, dt.date(2026, 3, 1))
        raise RuntimeError("stop")
    assert not PatientEndpoints.objects.filter(patient=patient).exists()
