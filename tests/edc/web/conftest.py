"""Patients of centre A and B registered through the services, and the first visit done."""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from tests.factories import FIRST_DOSE, make_registered


@pytest.fixture
def patient_a(centre_a):
    return make_registered(centre_a)


@pytest.fixture
def patient_b(centre_b):
    return make_registered(centre_b)


@pytest.fixture
def c1d1(patient_a):
    """Cycle 1 day 1 of ``patient_a``, recorded as done on the planned first dose."""
    visit = Visit.objects.get(patient=patient_a, code="C1D1")
    return visits.record_visit("system", visit, FIRST_DOSE, today=FIRST_DOSE + dt.timedelta(1))


def form_url(patient, visit, code: str) -> str:
    return f"/site/patients/{patient.code}/visits/{visit.pk}/forms/{code}/"
