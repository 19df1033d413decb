"""Writing SAS transport v5 files, read back with pyreadstat (ramunet.exports.xpt)."""

from __future__ import annotations

import io
import math
from decimal import Decimal

import numpy as np
import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.ibm370 import SasMissing
from ramunet.exports.xpt import write_xpt
from ramunet.exports.xpt_model import Dataset, Variable
from tests.exports.xpt_support import CREATED, read_back

AE_VARIABLES = (
    Variable("USUBJID", "Unique Subject Identifier", "char"),
    Variable("AESEQ", "Sequence Number", "num", format="8."),
    Variable("AETERM", "Reported Term for the Adverse Event", "char", 40),
    Variable("AESTDTC", "Start Date/Time of Adverse Event", "char"),
    Variable("AETOXGR", "Standard Toxicity Grade", "num"),
)
AE_ROWS = [
    ("RAMU-HAL-001", 1, "Übelkeit", "2025-01-02", 2),
    ("RAMU-HAL-001", 2, "Fatigue", "2025-01", None),
    ("RAMU-MAR-017", 1, "  Hypertension", "", -1.5),
]


def write_ae(tmp_path, rows=AE_ROWS, **options):
    path = tmp_path / "ae.xpt"
    result = write_xpt(
        path, Dataset("AE", "Adverse Events", AE_VARIABLES, rows), created=CREATED, **options
    )
    return path, result


def test_values_round_trip_through_pyreadstat(tmp_path):
    path, _ = write_ae(tmp_path)
    data, _ = read_back(path)
    assert data == {
        "USUBJID": ["RAMU-HAL-001", "RAMU-HAL-001", "RAMU-MAR-017"],
        "AESEQ": [1.0, 2.0, 1.0],
        "AETERM": ["Übelkeit", "Fatigue", "  Hypertension"],
        "AESTDTC": ["2025-01-02", "2025-01", ""],
        "AETOXGR": [2.0, None, -1.5],
    }


def test_variable_names_and_labels_round_trip(tmp_path):
    path, _ = write_ae(tmp_path)
    _, meta = read_back(path)
    assert meta.column_names == [v.name for v in AE_VARIABLES]
    assert meta.column_labels == [v.label for v in AE_VARIABLES]


def test_dataset_name_and_label_round_trip(tmp_path):
    path, _ = write_ae(tmp_path)
    _, meta = read_back(path)
    assert (meta.table_name, meta.file_label) == ("AE", "Adverse Events")


def test_formats_round_trip(tmp_path):
    variables = [
        Variable("A", "a", "num", format="8.2"),
        Variable("B", "b", "num", format="date9."),
        Variable("C", "c", "char", 5, format="$CHAR5."),
        Variable("D", "d", "num"),
    ]
    path = tmp_path / "f.xpt"
    write_xpt(path, Dataset("F", "", variables, [(1.0, 2.0, "x", 3.0)]), created=CREATED)
    _, meta = read_back(path)
    assert meta.original_variable_types == {"A": "8.2", "B": "DATE9", "C": "$CHAR5", "D": None}


def test_rows_as_mappings_give_the_same_file_as_sequences(tmp_path):
    names = [v.name for v in AE_VARIABLES]
    mapped = [dict(zip(names, row, strict=True)) for row in AE_ROWS]
    path_a, _ = write_ae(tmp_path)
    bytes_a = path_a.read_bytes()
    path_b, _ = write_ae(tmp_path, rows=mapped)
    assert path_b.read_bytes() == bytes_a


def test_character_length_is_measured_from_the_longest_utf8_value(tmp_path):
    _, result = write_ae(tmp_path)
    lengths = {v.name: v.length for v in result.member("AE").layout.variables}
    # "RAMU-HAL-001" is 12 bytes; "2025-01-02" is 10; numerics are 8.
    assert lengths == {"USUBJID": 12, "AESEQ": 8, "AETERM": 40, "AESTDTC": 10, "AETOXGR": 8}


def test_all_empty_character_column_gets_length_one(tmp_path):
    variables = [Variable("X", "x", "char"), Variable("N", "n", "num")]
    result = write_xpt(tmp_path / "e.xpt", Dataset("E", "", variables, [("", 1)]), created=CREATED)
    assert result.member("E").layout.variables[0].length == 1


def test_character_values_are_blank_padded_to_their_length(tmp_path):
    path, _ = write_ae(tmp_path)
    content = path.read_bytes()
    first_observation = content.index(b"RAMU-HAL-001")
    aeterm = content[first_observation + 12 + 8 : first_observation + 12 + 8 + 40]
    assert aeterm == "Übelkeit".encode() + b" " * 31


def test_file_is_a_sequence_of_80_byte_records(tmp_path):
    path, result = write_ae(tmp_path)
    assert len(path.read_bytes()) % 80 == 0
    assert result.size_bytes == len(path.read_bytes())


def test_library_header_records_follow_ts140(tmp_path):
    path, _ = write_ae(tmp_path)
    content = path.read_bytes()
    assert content[:80] == (
        b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  "
    )
    assert content[80:112] == b"SAS     SAS     SASLIB  9.4     "
    assert content[144:160] == b"24NOV26:17:05:09"
    assert content[160:176] == b"24NOV26:17:05:09"


def test_member_headers_give_namestr_length_and_variable_count(tmp_path):
    path, _ = write_ae(tmp_path)
    content = path.read_bytes()
    # records: 0-240 library, 240 member, 320 descriptor, 400 and 480 member data, 560 NAMESTR
    assert content[240:320] == (
        b"HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!000000000000000001600000000140  "
    )
    assert content[480 + 32 : 480 + 72].rstrip() == b"Adverse Events"
    assert content[560:640] == (
        b"HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!000000000500000000000000000000  "
    )


def test_each_namestr_is_140_bytes_with_position_and_length(tmp_path):
    path, _ = write_ae(tmp_path)
    content = path.read_bytes()
    second = content[640 + 140 : 640 + 280]
    assert second[:8] == bytes([0, 1, 0, 0, 0, 8, 0, 2])  # numeric, length 8, variable 2
    assert second[8:16] == b"AESEQ   "
    assert int.from_bytes(second[84:88], "big") == 12  # after USUBJID's 12 bytes


def test_missing_numeric_is_sas_dot_in_the_file(tmp_path):
    variables = [Variable("N", "n", "num")]
    path = tmp_path / "m.xpt"
    write_xpt(path, Dataset("M", "", variables, [(None,), (math.nan,), (1.0,)]), created=CREATED)
    observations = path.read_bytes()[-80:]
    assert observations[:24] == b".\0\0\0\0\0\0\0" * 2 + bytes.fromhex("4110000000000000")


def test_special_missing_values_are_written_with_their_letter(tmp_path):
    variables = [Variable("N", "n", "num")]
    rows = [(SasMissing("A"),), (SasMissing("Z"),), (SasMissing("_"),), (0.0,)]
    path = tmp_path / "m.xpt"
    write_xpt(path, Dataset("M", "", variables, rows), created=CREATED)
    observations = path.read_bytes()[-80:]
    assert observations[:32] == b"A\0\0\0\0\0\0\0Z\0\0\0\0\0\0\0_\0\0\0\0\0\0\0" + bytes(8)


def test_special_missing_values_read_back_as_missing(tmp_path):
    variables = [Variable("N", "n", "num")]
    rows = [(SasMissing("A"),), (SasMissing("_"),), (3.5,)]
    path = tmp_path / "m.xpt"
    write_xpt(path, Dataset("M", "", variables, rows), created=CREATED)
    assert read_back(path)[0] == {"N": [None, None, 3.5]}


def test_zero_negatives_and_decimals_round_trip(tmp_path):
    values = [0.0, -0.0, -1.0, -118.625, Decimal("1.25"), np.float64(2.5), np.int64(-7), 0.1]
    path = tmp_path / "n.xpt"
    rows = [(value,) for value in values]
    write_xpt(path, Dataset("N", "", [Variable("X", "x", "num")], rows), created=CREATED)
    assert read_back(path)[0]["X"] == [0.0, 0.0, -1.0, -118.625, 1.25, 2.5, -7.0, 0.1]


def test_ibm_range_edges_round_trip_exactly(tmp_path):
    edges = [
        2.0**-260,
        -(2.0**-260),
        float(np.nextafter(2.0**252, 0)),
        1e-78,
        7.2e75,
        1e-300 * 1e222,
    ]
    path = tmp_path / "n.xpt"
    rows = [(value,) for value in edges]
    write_xpt(path, Dataset("N", "", [Variable("X", "x", "num")], rows), created=CREATED)
    assert read_back(path)[0]["X"] == edges


def test_integers_up_to_2_pow_53_round_trip(tmp_path):
    path = tmp_path / "n.xpt"
    rows = [(2**53,), (-(2**53),)]
    write_xpt(path, Dataset("N", "", [Variable("X", "x", "num")], rows), created=CREATED)
    assert read_back(path)[0]["X"] == [float(2**53), -float(2**53)]


def test_many_rows_stream_from_a_generator_in_batches(tmp_path):
    variables = [Variable("ID", "id", "char", 6), Variable("VAL", "value", "num")]
    rows = ((f"S{i:05d}", i * 0.5 - 1000) for i in range(25_001))
    path = tmp_path / "big.xpt"
    result = write_xpt(
        path, Dataset("LB", "Laboratory", variables, rows), created=CREATED, batch_rows=1_000
    )
    data, meta = read_back(path)
    assert result.member("LB").row_count == meta.number_rows == 25_001
    assert data["ID"][-1] == "S25000"
    assert data["VAL"] == [i * 0.5 - 1000 for i in range(25_001)]


def test_empty_dataset_has_no_rows(tmp_path):
    path = tmp_path / "e.xpt"
    write_xpt(path, Dataset("E", "", [Variable("X", "x", "num")], []), created=CREATED)
    data, meta = read_back(path)
    assert (data, meta.number_rows) == ({"X": []}, 0)


def test_blank_rows_before_the_last_are_kept(tmp_path):
    variables = [Variable("X", "x", "char", 3)]
    path = tmp_path / "b.xpt"
    write_xpt(path, Dataset("B", "", variables, [("a",), ("",), ("b",)]), created=CREATED)
    assert read_back(path)[0] == {"X": ["a", "", "b"]}


def test_writes_to_a_binary_file_object(tmp_path):
    path, _ = write_ae(tmp_path)
    buffer = io.BytesIO()
    write_xpt(buffer, Dataset("AE", "Adverse Events", AE_VARIABLES, AE_ROWS), created=CREATED)
    assert buffer.getvalue() == path.read_bytes()


def test_refused_row_leaves_no_file_behind(tmp_path):
    rows = [*AE_ROWS, ("RAMU-MAR-017", 2, "x", "2025", "grade 3")]
    with pytest.raises(InvalidInput):
        write_ae(tmp_path, rows=rows)
    assert list(tmp_path.iterdir()) == []


def test_refused_row_keeps_an_existing_file_unchanged(tmp_path):
    path, _ = write_ae(tmp_path)
    before = path.read_bytes()
    with pytest.raises(InvalidInput):
        write_ae(tmp_path, rows=[("RAMU-HAL-001", "one", "x", "2025", 1)])
    assert path.read_bytes() == before


def test_several_members_are_written_one_after_another(tmp_path):
    dm = Dataset("DM", "Demographics", [Variable("AGE", "Age", "num")], [(64,)])
    ae = Dataset("AE", "Adverse Events", AE_VARIABLES, AE_ROWS)
    result = write_xpt(tmp_path / "two.xpt", [dm, ae], created=CREATED)
    assert [(m.name, m.row_count) for m in result.members] == [("DM", 1), ("AE", 3)]
