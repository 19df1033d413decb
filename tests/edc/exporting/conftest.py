"""The small trial of ``trial.py`` and the people who export it."""

from __future__ import annotations

import pytest

from tests.edc.exporting.trial import add_workflow, build_trial
from tests.factories import make_person


@pytest.fixture
def trial(db):
    return build_trial()


@pytest.fixture
def workflow(trial):
    return add_workflow(trial)


@pytest.fixture
def exporter(db):
    """A data manager (exports at any time; a draft before the lock)."""
    return make_person("dm.export", "data_manager")


@pytest.fixture
def statistician(db):
    return make_person("stat.export", "biometrician")


@pytest.fixture
def locked(trial):
    from ramunet.edc.audit import services as audit

    audit.set_database_lock(True, actor="system", reason="database lock", data={})
