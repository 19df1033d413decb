"""The transfer package: contents, manifest, who may export, and that the export is audited."""

from __future__ import annotations

import json
import zipfile

import pytest

from ramunet.clinical.errors import InvalidInput, PermissionRefused
from ramunet.edc.audit.models import AuditRecord, ChainHead
from ramunet.edc.exporting.package import iter_table_csv, table_names, write_transfer_package
from ramunet.exports.package import verify_package
from tests.factories import make_person


def test_package_holds_every_part_of_the_issue(trial, exporter, tmp_path):
    write_transfer_package(exporter, tmp_path / "t.zip")
    names = set(zipfile.ZipFile(tmp_path / "t.zip").namelist())
    expected = {
        "README.txt", "odm/ramunet.xml", "sdtm/xpt/dm.xpt", "sdtm/csv/dm.csv", "sdtm/xpt/adsl.xpt",
        "sdtm/xpt/suppae.xpt", "sdtm/xpt/suppex.xpt", "tidy/form_haem.csv", "tidy/columns.csv",
        "tidy/missing_values.csv",
        "trail/audit_records.csv", "trail/audit_changes.csv", "trail/queries.csv",
        "trail/sdv_status.csv",
        "trail/signatures.csv",
        "dictionary/data_dictionary.html", "dictionary/data_dictionary.csv",
        "protocol/protocol.json", "manifest.json",
    }  # fmt: skip
    assert expected <= names


def test_manifest_lists_every_file_with_its_sha256_and_the_audit_head(trial, exporter, tmp_path):
    head = ChainHead.objects.get(pk=1)
    manifest = write_transfer_package(exporter, tmp_path / "t.zip")
    assert verify_package(tmp_path / "t.zip") == []
    stored = json.loads(zipfile.ZipFile(tmp_path / "t.zip").read("manifest.json"))
    assert stored["audit_head"] == {"seq": head.seq, "hash": head.hash}
    assert len(stored["files"]) == len(manifest.entries)


def test_changed_file_no_longer_matches_the_manifest(trial, exporter, tmp_path):
    write_transfer_package(exporter, tmp_path / "t.zip", parts=("dictionary",))
    with (
        zipfile.ZipFile(tmp_path / "t.zip") as source,
        zipfile.ZipFile(tmp_path / "x.zip", "w") as copy,
    ):
        for name in source.namelist():
            data = source.read(name)
            copy.writestr(name, data + b"x" if name == "README.txt" else data)
    assert verify_package(tmp_path / "x.zip") == ["README.txt: SHA-256 differs from the manifest"]


def test_data_manager_export_before_the_lock_is_a_draft(trial, exporter, tmp_path):
    manifest = write_transfer_package(exporter, tmp_path / "t.zip", parts=("dictionary",))
    assert (manifest.facts["final"], manifest.facts["status"]) == (
        False,
        "DRAFT (database not locked)",
    )


def test_biometrician_may_not_export_before_the_database_lock(trial, statistician, tmp_path):
    with pytest.raises(PermissionRefused) as error:
        write_transfer_package(statistician, tmp_path / "t.zip")
    assert str(error.value) == (
        "stat.export (biometrician) may export only after the database lock; "
        "a data manager may export a draft before it"
    )
    assert not (tmp_path / "t.zip").exists()


def test_biometrician_exports_the_locked_database_as_final(locked, statistician, tmp_path):
    manifest = write_transfer_package(statistician, tmp_path / "t.zip", parts=("sdtm",))
    assert manifest.facts["final"] is True
    assert manifest.facts["sdtm_rows"]["DM"] == 3


def test_monitor_may_not_export(trial, tmp_path):
    monitor = make_person("monitor.x", "monitor")
    with pytest.raises(PermissionRefused):
        write_transfer_package(monitor, tmp_path / "t.zip")


def test_export_is_recorded_in_the_audit_trail(trial, exporter, tmp_path):
    write_transfer_package(exporter, tmp_path / "t.zip", parts=("dictionary",))
    record = AuditRecord.objects.get(action="export.package")
    assert record.actor == "dm.export"


def test_folder_target_gets_the_files_and_a_manifest(trial, exporter, tmp_path):
    write_transfer_package(exporter, tmp_path / "out", parts=("tidy",))
    assert (tmp_path / "out" / "tidy" / "form_ae.csv").is_file()
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["parts"] == ["tidy"]


def test_unknown_part_is_refused_with_the_allowed_ones(trial, exporter, tmp_path):
    with pytest.raises(InvalidInput) as error:
        write_transfer_package(exporter, tmp_path / "t.zip", parts=("pdf",))
    assert str(error.value) == "parts 'pdf': expected some of odm, sdtm, tidy, dictionary"


def test_no_initials_or_date_of_birth_in_the_package(trial, exporter, tmp_path):
    write_transfer_package(exporter, tmp_path / "t.zip")
    with zipfile.ZipFile(tmp_path / "t.zip") as package:
        trail = package.read("trail/audit_changes.csv").decode()
        odm = package.read("odm/ramunet.xml").decode()
    assert ",AB," not in trail
    assert '""date_of_birth"":""(redacted)""' in trail
    assert '""date_of_birth"":""19' not in trail
    assert "INITIALS" not in odm and "DATE_OF_BIRTH" not in odm


def test_single_table_streams_as_csv_for_the_pages(trial, exporter):
    assert "tidy/form_ae" in table_names(exporter)
    lines = list(iter_table_csv(exporter, "sdtm/ae"))
    assert lines[0].startswith("STUDYID,DOMAIN,USUBJID,AESEQ")
    assert len(lines) == 2


def test_unknown_table_is_refused(trial, exporter):
    with pytest.raises(InvalidInput) as error:
        iter_table_csv(exporter, "tidy/names")
    assert str(error.value) == "table 'tidy/names': not an export table; see table_names()"
