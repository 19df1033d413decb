"""Fixtures for the oversight pages: one patient at centre A with a haematology form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from tests.factories import make_patient, make_person, save_haem

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached figures are keyed by the audit chain head; start every test without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


@pytest.fixture
def haem(nurse_a, patient):
    return save_haem(nurse_a, patient, today=TODAY)


@pytest.fixture
def dsmb(db):
    return make_person("dsmb", "dsmb")


@pytest.fixture
def pathologist(db):
    return make_person("pathologist", "pathology")


@pytest.fixture
def signed_in(client):
    """``signed_in(user)``: the test client, logged in as ``user``."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
