"""The ODM round trip: our export loaded into an empty database holds identical data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.exporting.digest import patient_digests
from ramunet.edc.exporting.odm_export import write_odm
from ramunet.edc.exporting.odm_import import import_odm
from ramunet.edc.screening.models import Patient
from tests.edc.exporting.trial import build_trial
from tests.factories import make_person


def _export() -> bytes:
    out = io.BytesIO()
    write_odm(out, audit=True)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_database_gives_identical_data():
    build_trial()
    before = patient_digests()
    data = _export()
    call_command("flush", interactive=False, verbosity=0)
    importer = make_person("dm.import", "data_manager")
    summary = import_odm(importer, data, source="ramunet.xml")
    assert summary.patients == 3
    assert patient_digests() == before
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_import_is_audited_as_an_import_by_the_data_manager():
    build_trial()
    data = _export()
    call_command("flush", interactive=False, verbosity=0)
    importer = make_person("dm.import", "data_manager")
    import_odm(importer, data, source="ramunet.xml")
    patient = AuditRecord.objects.get(action="import.patient.created", patient="HAL-001")
    assert patient.actor == "dm.import"
    assert patient.reason.startswith("imported from ramunet.xml (sha256 ")


def test_import_into_a_database_with_patients_is_refused(trial, exporter):
    data = _export()
    with pytest.raises(WorkflowError) as error:
        import_odm(exporter, data)
    assert str(error.value) == "the database holds patients already; import into an empty one"
    assert Patient.objects.count() == 3


def test_biometrician_may_not_import(trial, statistician):
    with pytest.raises(PermissionRefused):
        import_odm(statistician, _export())


def test_file_of_another_study_is_refused_naming_the_oid(trial, exporter):
    data = _export().replace(b'OID="ST.RAMUNET"', b'OID="ST.OTHER"', 1)
    with pytest.raises(InvalidInput) as error:
        import_odm(exporter, data)
    assert str(error.value) == "ODM Study OID 'ST.OTHER': not this study's (ST.RAMUNET)"
