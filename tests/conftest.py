"""Role personas and a frozen clock, shared by the EDC tests (STYLE.md example 11)."""

from __future__ import annotations

import pytest

from tests.factories import make_centre, make_person


@pytest.fixture
def centre_a(db):
    return make_centre("HAL", "Universitätsklinikum Halle")


@pytest.fixture
def centre_b(db):
    return make_centre("MAR", "Universitätsklinikum Marburg")


@pytest.fixture
def investigator_a(centre_a):
    return make_person("investigator.a", "investigator", centre_a)


@pytest.fixture
def nurse_a(centre_a):
    return make_person("nurse.a", "nurse", centre_a)


@pytest.fixture
def investigator_b(centre_b):
    """Another centre's investigator: must see nothing of centre A."""
    return make_person("investigator.b", "investigator", centre_b)


@pytest.fixture
def monitor(db):
    return make_person("monitor", "monitor")


@pytest.fixture
def data_manager(db):
    return make_person("datamanager", "data_manager")


@pytest.fixture
def biometrician(db):
    return make_person("biometrician", "biometrician")


@pytest.fixture
def sponsor(db):
    return make_person("sponsor", "sponsor")
