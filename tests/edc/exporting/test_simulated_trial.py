"""The exports of a small simulated trial (every form the simulator writes, real volumes)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from lxml import etree

from ramunet.edc.exporting.digest import patient_digests
from ramunet.edc.exporting.odm_export import write_odm
from ramunet.edc.exporting.odm_import import import_odm
from ramunet.edc.exporting.package import write_transfer_package
from ramunet.exports.odm import check_oid_references, validate_odm
from ramunet.exports.package import verify_package
from tests.factories import make_person

PATIENTS = 4


def _simulate() -> None:
    from ramunet.simulate import SimulationConfig, simulate_trial

    simulate_trial(SimulationConfig(patients=PATIENTS, centres=2, seed=7), progress=False)


@pytest.mark.django_db(transaction=True)
def test_simulated_trial_round_trips_through_odm_unchanged():
    _simulate()
    before = patient_digests()
    out = io.BytesIO()
    write_odm(out, audit=True)
    tree = etree.fromstring(out.getvalue())
    assert validate_odm(tree) == []
    assert check_oid_references(tree) == []
    call_command("flush", interactive=False, verbosity=0)
    import_odm(make_person("dm.import", "data_manager"), out.getvalue())
    assert patient_digests() == before


def test_simulated_trial_package_is_complete_and_verified(db, tmp_path):
    _simulate()
    exporter = make_person("dm.export", "data_manager")
    manifest = write_transfer_package(exporter, tmp_path / "t.zip")
    assert verify_package(tmp_path / "t.zip") == []
    assert manifest.facts["sdtm_rows"]["DM"] == PATIENTS
    assert manifest.facts["sdtm_rows"]["LB"] > 0 and manifest.facts["sdtm_rows"]["RS"] > 0
    assert "sdtm/xpt/tr.xpt" in zipfile.ZipFile(tmp_path / "t.zip").namelist()
