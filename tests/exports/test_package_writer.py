"""The package writer: streamed entries, a manifest of SHA-256 digests, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.package import DirectoryWriter, PackageWriter, verify_package


def test_manifest_holds_size_and_sha256_of_each_entry(tmp_path):
    with PackageWriter(tmp_path / "p.zip") as package:
        package.add_lines("a.csv", ["x,y\r\n", "1,2\r\n"])
        manifest = package.finish({"study": "RAMUNET"})
    data = b"x,y\r\n1,2\r\n"
    assert manifest.entry("a.csv").sha256 == hashlib.sha256(data).hexdigest()
    stored = json.loads(zipfile.ZipFile(tmp_path / "p.zip").read("manifest.json"))
    assert stored["study"] == "RAMUNET"
    assert stored["files"] == [
        {"path": "a.csv", "bytes": 10, "sha256": hashlib.sha256(data).hexdigest()}
    ]
    assert verify_package(tmp_path / "p.zip") == []


def test_same_path_twice_is_refused(tmp_path):
    with PackageWriter(tmp_path / "p.zip") as package:
        package.add_bytes("a.txt", b"1")
        with pytest.raises(InvalidInput) as error:
            package.add_bytes("a.txt", b"2")
    assert str(error.value) == "package path 'a.txt': used twice (or the manifest's name)"


def test_failure_leaves_no_package(tmp_path):
    with pytest.raises(RuntimeError), PackageWriter(tmp_path / "p.zip") as package:
        package.add_bytes("a.txt", b"1")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_directory_writer_writes_files_and_manifest(tmp_path):
    with DirectoryWriter(tmp_path / "out") as package:
        package.add_bytes("sdtm/dm.csv", b"STUDYID\r\n")
        package.finish({})
    assert (tmp_path / "out" / "sdtm" / "dm.csv").read_bytes() == b"STUDYID\r\n"
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["files"][0]["bytes"] == 9
