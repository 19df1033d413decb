"""The package writer: streamed entries, a manifest of SHA-256 digests, nothing half-written;
entries deflated by ISA-L into a zip that any reader checks clean."""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
import zipfile

import pytest
from isal import isal_zlib

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.package import DirectoryWriter, PackageWriter, verify_package

CONTENTS = {
    "sdtm/dm.csv": b"STUDYID,USUBJID,AGE\r\nRAMUNET,RAMUNET-HAL-001,63\r\n",
    "odm/ramunet.xml": "<ODM FileOID='\u00e4'>\n".encode() * 2000,
    "empty.txt": b"",
    "tables/labs.json": json.dumps(
        [{"LBTESTCD": "ALT", "LBSTRESN": i} for i in range(5000)]
    ).encode(),
}


def csv_text(megabytes: int) -> list[str]:
    """CSV-like lines of lab results, about ``megabytes`` MB, the same on every run."""
    rng = random.Random(20240917)
    tests = ("ALT", "AST", "BILI", "CREAT", "HGB", "NEUT", "PLAT", "WBC")
    lines, size = [], 0
    while size < megabytes << 20:
        line = (
            f"RAMUNET,RAMUNET-HAL-{rng.randrange(1000):03d},{rng.choice(tests)},"
            f"{rng.uniform(0, 500):.2f},"
            f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}\r\n"
        )
        lines.append(line)
        size += len(line)
    return lines


def write_package(path, contents=CONTENTS, **options):
    with PackageWriter(path, **options) as package:
        for name, data in contents.items():
            if name.endswith(".json"):
                package.add_file(name, io.BytesIO(data))
            else:
                package.add_bytes(name, data)
        package.finish({"study": "RAMUNET"})
    return path


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


def test_scratch_directory_writer_counts_without_hashing(tmp_path):
    scratch = DirectoryWriter(tmp_path / "scratch", digests=False)
    (entry,) = [scratch.add_bytes("trail/x.csv", b"a,b\r\n")]
    assert (entry.size, entry.sha256) == (5, "")
    hashed = DirectoryWriter(tmp_path / "out").add_bytes("trail/x.csv", b"a,b\r\n")
    assert hashed.sha256 == hashlib.sha256(b"a,b\r\n").hexdigest()


def test_every_entry_reads_back_byte_for_byte_with_its_crc_checked(tmp_path):
    path = write_package(tmp_path / "p.zip")
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None  # reads every entry, checking its CRC-32
        for name, data in CONTENTS.items():
            assert package.getinfo(name).compress_type == zipfile.ZIP_DEFLATED
            assert package.read(name) == data  # zipfile raises BadZipFile on a wrong CRC


def test_verify_package_finds_no_problem_in_an_isal_deflated_package(tmp_path):
    assert verify_package(write_package(tmp_path / "p.zip")) == []


def test_unzip_tests_the_package_clean(tmp_path):
    path = write_package(tmp_path / "p.zip")
    if shutil.which("unzip"):
        command = ["unzip", "-t", str(path)]
    else:
        command = [sys.executable, "-m", "zipfile", "-t", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_entry_of_many_megabytes_round_trips(tmp_path):
    lines = csv_text(megabytes=12)
    with PackageWriter(tmp_path / "p.zip") as package:
        entry = package.add_lines("sdtm/lb.csv", lines)
        package.finish({})
    data = "".join(lines).encode()
    assert entry.size == len(data) > 12 << 20
    with zipfile.ZipFile(tmp_path / "p.zip") as package:
        info = package.getinfo("sdtm/lb.csv")
        assert package.read("sdtm/lb.csv") == data
    assert info.file_size == len(data)
    assert info.compress_size < len(data) // 2
    assert verify_package(tmp_path / "p.zip") == []


def test_isal_compresses_the_entries(tmp_path):
    """Fails when zipfile's write handle no longer keeps its compressor in ``_compressor``
    (a Python upgrade): the writer would then fall back to zlib, correct but 5x slower."""
    with PackageWriter(tmp_path / "p.zip") as package, package.open("a.csv") as writer:
        assert hasattr(writer.target, "_compressor")
        assert type(writer.target._compressor) is type(isal_zlib.compressobj())
        writer.write(b"x,y\r\n")


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_isal_level_writes_a_readable_package(tmp_path, level):
    path = write_package(tmp_path / "p.zip", isal_level=level)
    with zipfile.ZipFile(path) as package:
        assert {name: package.read(name) for name in CONTENTS} == CONTENTS


def test_isal_level_outside_0_to_3_is_refused(tmp_path):
    with pytest.raises(InvalidInput) as error:
        PackageWriter(tmp_path / "p.zip", isal_level=6)
    assert str(error.value) == "isal_level 6: an ISA-L level: 0 (fastest) to 3 (smallest)"
    assert list(tmp_path.iterdir()) == []
