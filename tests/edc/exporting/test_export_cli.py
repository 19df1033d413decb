"""``ramunet export`` and ``ramunet import-odm`` on the command line."""

from __future__ import annotations

import zipfile

from ramunet.cli.main import main


def test_export_command_writes_the_package_into_a_folder(trial, exporter, tmp_path, capsys):
    assert main(["export", "--as", "dm.export", "--to", str(tmp_path)]) == 0
    (package,) = tmp_path.glob("ramunet-transfer-*.zip")
    assert "manifest.json" in zipfile.ZipFile(package).namelist()
    assert "3 patients, DRAFT (database not locked)" in capsys.readouterr().err


def test_export_command_refuses_a_biometrician_before_the_lock(
    trial, statistician, tmp_path, capsys
):
    assert main(["export", "--as", "stat.export", "--to", str(tmp_path / "t.zip")]) == 1
    assert "may export only after the database lock" in capsys.readouterr().err


def test_export_command_writes_one_part(trial, exporter, tmp_path):
    assert (
        main(
            [
                "export",
                "--as",
                "dm.export",
                "--to",
                str(tmp_path / "odm"),
                "--what",
                "odm",
                "--audit",
            ]
        )
        == 0
    )
    assert "<AuditRecord>" in (tmp_path / "odm" / "odm" / "ramunet.xml").read_text()


def test_import_command_refuses_a_database_with_patients(trial, exporter, tmp_path, capsys):
    main(["export", "--as", "dm.export", "--to", str(tmp_path / "odm"), "--what", "odm"])
    assert (
        main(["import-odm", "--as", "dm.export", str(tmp_path / "odm" / "odm" / "ramunet.xml")])
        == 1
    )
    assert "holds patients already" in capsys.readouterr().err


def test_export_command_refuses_zero_workers_naming_the_option(trial, exporter, tmp_path, capsys):
    target = tmp_path / "t.zip"
    assert main(["export", "--as", "dm.export", "--to", str(target), "--workers", "0"]) == 1
    assert "export refused: workers 0: at least 1 process" in capsys.readouterr().err
    assert not target.exists()
