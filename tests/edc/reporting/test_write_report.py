"""``write_report`` on a trial entered through the EDC services: recount, rights, audit, CLI."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from ramunet.cli.main import main
from ramunet.clinical.errors import LockedError, PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import Haematology, UrineProtein, VitalSigns
from ramunet.edc.reporting.dataset import load_dataset
from ramunet.edc.reporting.write import write_report
from ramunet.edc.sites.services import add_reference_range
from ramunet.report.analysis import analyse
from tests.edc.reporting.conftest import day, save
from tests.edc.reporting.recount import recount_month6
from tests.factories import make_patient, make_person


def lock():
    audit.set_database_lock(True, actor="system", reason="test: database lock", data={})


def test_dataset_reads_patients_endpoints_scans_events_and_lab_grades(
    small_trial, nurse_a, centre_a
):
    add_reference_range(
        "system", centre_a, analyte="anc", unit="10^9/L", lln=Decimal("1.8"),
        uln=Decimal("7.5"), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    hal1 = small_trial["HAL-001"]
    save(nurse_a, Haematology, hal1, form_date=day(14), anc=Decimal("0.8"))
    save(nurse_a, VitalSigns, hal1, form_date=day(14), systolic_mmhg=150, diastolic_mmhg=95)
    save(nurse_a, UrineProtein, hal1, form_date=day(14), dipstick="2+")
    dataset = load_dataset()
    assert [p.code for p in dataset.patients] == ["HAL-001", "HAL-002", "HAL-003", "MAR-001"]
    assert [e.patient for e in dataset.endpoints] == ["HAL-001", "HAL-002", "HAL-003"]
    assert [(p.patient, p.overall) for p in dataset.tumour] == [
        ("HAL-001", "PR"), ("HAL-001", "PR"), ("HAL-002", "PD"), ("HAL-003", "SD"),
        ("HAL-003", "SD"),
    ]  # fmt: skip
    assert [(e.patient, e.term, e.grade, e.serious) for e in dataset.adverse_events] == [
        ("HAL-002", "Hypertension", 3, True)
    ]
    assert [(g.patient, g.term, g.grade) for g in dataset.lab_grades] == [
        ("HAL-001", "Hypertension", 2),
        ("HAL-001", "Neutrophil count decreased", 3),
        ("HAL-001", "Proteinuria", 2),
    ]
    assert dataset.locked is False


def test_primary_endpoint_equals_a_recount_from_the_stored_forms(small_trial):
    primary = analyse(load_dataset()).primary
    assert (primary.x, primary.n) == recount_month6() == (2, 3)


def test_data_manager_writes_a_draft_with_manifest(small_trial, data_manager, tmp_path):
    manifest = write_report(tmp_path, actor=data_manager)
    assert manifest.status == "draft"
    recorded = json.loads(manifest.manifest.read_text())
    assert recorded["status"] == "draft"
    assert recorded["snapshot_sha256"] == manifest.snapshot_sha256
    assert recorded["protocol_version"] == "01"
    assert recorded["files"]["report.pdf"]
    assert manifest.pdf.stat().st_size > 0


def test_sponsor_may_write_a_draft(small_trial, sponsor, tmp_path):
    assert write_report(tmp_path, actor=sponsor).status == "draft"


def test_biometrician_is_refused_before_the_database_lock(small_trial, biometrician, tmp_path):
    with pytest.raises(PermissionRefused) as error:
        write_report(tmp_path, actor=biometrician)
    assert str(error.value) == (
        "biometrician (biometrician) may write the report only after the database lock; "
        "the data manager or the sponsor may write a draft before it"
    )


def test_biometrician_writes_the_final_report_after_the_lock(small_trial, biometrician, tmp_path):
    lock()
    manifest = write_report(tmp_path, actor=biometrician)
    assert (manifest.status, manifest.locked) == ("final", True)


@pytest.mark.parametrize("persona", ["monitor", "investigator_a", "nurse_a"])
def test_site_and_monitoring_roles_are_refused(small_trial, request, persona, tmp_path):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionRefused) as error:
        write_report(tmp_path, actor=user)
    assert str(error.value).endswith("may not report")


def test_dsmb_is_refused(small_trial, tmp_path):
    with pytest.raises(PermissionRefused):
        write_report(tmp_path, actor=make_person("dsmb", "dsmb"))


def test_final_only_refuses_an_unlocked_database(small_trial, data_manager, tmp_path):
    with pytest.raises(LockedError) as error:
        write_report(tmp_path, actor=data_manager, draft_ok=False)
    assert str(error.value) == "the database is not locked; lock it first or allow a draft report"
    assert not (tmp_path / "report.pdf").exists()


def test_writing_the_report_is_audited_with_its_snapshot_hash(small_trial, tmp_path):
    manifest = write_report(tmp_path)
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.actor, record.action) == ("system", "report.written")
    assert json.loads(record.payload)["data"]["snapshot_sha256"] == manifest.snapshot_sha256
    assert audit.verify().ok


def test_two_runs_on_one_database_give_one_hash_and_identical_tables(small_trial, tmp_path):
    first = write_report(tmp_path / "one")
    second = write_report(tmp_path / "two")  # the audit chain moved in between
    assert first.snapshot_sha256 == second.snapshot_sha256
    assert second.audit_seq == first.audit_seq + 1
    for table in sorted((tmp_path / "one" / "tables").iterdir()):
        assert table.read_bytes() == (tmp_path / "two" / "tables" / table.name).read_bytes()


def test_report_command_writes_as_the_data_manager(small_trial, data_manager, tmp_path, capsys):
    assert main(["report", "--as", "datamanager", "--to", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"draft report: {tmp_path / 'index.html'}" in out
    assert (tmp_path / "report.pdf").exists()


def test_report_command_refuses_a_monitor_with_the_reason(small_trial, monitor, tmp_path, capsys):
    assert main(["report", "--as", "monitor", "--to", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "report refused: monitor (monitor) may not report\n"


@pytest.mark.django_db(transaction=True)
def test_dataset_loads_in_its_own_read_transaction(centre_a):
    make_patient(centre_a)
    dataset = load_dataset()  # outside any transaction: PostgreSQL takes one snapshot
    assert [p.code for p in dataset.patients] == ["HAL-001"]
