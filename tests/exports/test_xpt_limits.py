"""Every XPT v5 limit is refused with a message naming dataset, variable and rule; none truncates.

Limits: SAS Institute TS-140 (record layout of SAS transport v5) and CDISC, "A Short History
of CDISC and SAS Transport Files" (names <= 8, labels <= 40, character values <= 200 bytes).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.exports.xpt import write_xpt
from ramunet.exports.xpt_model import Dataset, Variable
from tests.exports.xpt_support import CREATED


def write(tmp_path, variables, rows, name="AE", label="Adverse Events"):
    return write_xpt(tmp_path / "x.xpt", Dataset(name, label, variables, rows), created=CREATED)


def refusal(tmp_path, variables, rows, name="AE", label="Adverse Events", error=InvalidInput):
    with pytest.raises(error) as caught:
        write(tmp_path, variables, rows, name, label)
    return str(caught.value)


TERM = [Variable("AETERM", "Reported Term", "char")]
NUM = [Variable("AESEQ", "Sequence Number", "num")]


def test_dataset_name_of_8_characters_is_accepted(tmp_path):
    assert write(tmp_path, NUM, [(1,)], name="SUPPAE_X").members[0].name == "SUPPAE_X"


def test_dataset_name_of_9_characters_is_refused(tmp_path):
    assert refusal(tmp_path, NUM, [(1,)], name="ADVERSEEV") == (
        "XPT dataset name 'ADVERSEEV': 9 characters > 8, the XPT v5 limit"
    )


@pytest.mark.parametrize("name", ["ae", "1AE", "A-E", "", "ÄE"])
def test_dataset_name_outside_sas_name_rule_is_refused(tmp_path, name):
    assert refusal(tmp_path, NUM, [(1,)], name=name) == (
        f"XPT dataset name {name!r}: must be uppercase letters, digits or underscores, starting "
        "with a letter or underscore (SAS v5 name rule)"
    )


def test_name_may_start_with_underscore(tmp_path):
    assert write(tmp_path, [Variable("_X1", "x", "num")], [(1,)]).members[0].row_count == 1


def test_variable_name_of_8_characters_is_accepted(tmp_path):
    assert write(tmp_path, [Variable("AEBODSYS", "x", "num")], [(1,)]).members[0].row_count == 1


def test_variable_name_of_9_characters_is_refused(tmp_path):
    assert refusal(tmp_path, [Variable("AEBODYSYS", "x", "num")], [(1,)]) == (
        "AE variable name 'AEBODYSYS': 9 characters > 8, the XPT v5 limit"
    )


def test_lowercase_variable_name_is_refused(tmp_path):
    assert refusal(tmp_path, [Variable("aeterm", "x", "num")], [(1,)]) == (
        "AE variable name 'aeterm': must be uppercase letters, digits or underscores, starting "
        "with a letter or underscore (SAS v5 name rule)"
    )


def test_duplicate_variable_name_is_refused(tmp_path):
    variables = [Variable("AESEQ", "a", "num"), Variable("AESEQ", "b", "num")]
    assert refusal(tmp_path, variables, [(1, 2)]) == (
        "AE variable name 'AESEQ': appears twice; names must be unique"
    )


def test_dataset_without_variables_is_refused(tmp_path):
    assert refusal(tmp_path, [], []) == "AE variables: at least one variable is required"


def test_variable_label_of_40_bytes_is_accepted(tmp_path):
    result = write(tmp_path, [Variable("X", "L" * 40, "num")], [(1,)])
    assert result.members[0].layout.variables[0].label == "L" * 40


def test_variable_label_of_41_bytes_is_refused(tmp_path):
    label = "L" * 41
    assert refusal(tmp_path, [Variable("X", label, "num")], [(1,)]) == (
        f"AE.X label {label!r}: 41 bytes > 40, the XPT v5 limit"
    )


def test_label_limit_counts_utf8_bytes_not_characters(tmp_path):
    label = "Ü" * 21  # 21 characters, 42 bytes
    assert refusal(tmp_path, [Variable("X", label, "num")], [(1,)]) == (
        f"AE.X label {label!r}: 42 bytes > 40, the XPT v5 limit"
    )


def test_dataset_label_of_41_bytes_is_refused(tmp_path):
    label = "D" * 41
    assert refusal(tmp_path, NUM, [(1,)], label=label) == (
        f"AE dataset label {label!r}: 41 bytes > 40, the XPT v5 limit"
    )


def test_dataset_label_of_40_bytes_is_accepted(tmp_path):
    assert write(tmp_path, NUM, [(1,)], label="D" * 40).members[0].layout.label == "D" * 40


def test_character_value_of_200_bytes_is_accepted(tmp_path):
    result = write(tmp_path, TERM, [("x" * 200,)])
    assert result.members[0].layout.variables[0].length == 200


def test_character_value_of_201_bytes_is_refused(tmp_path):
    rows = [("short",)] * 11 + [("x" * 201,)]
    assert refusal(tmp_path, TERM, rows) == (
        "AE.AETERM: value in row 12 has 201 bytes > 200, the XPT v5 limit"
    )


def test_character_limit_counts_utf8_bytes(tmp_path):
    rows = [("é" * 107,)]  # 107 characters, 214 bytes
    assert refusal(tmp_path, TERM, rows) == (
        "AE.AETERM: value in row 1 has 214 bytes > 200, the XPT v5 limit"
    )


def test_character_limit_applies_with_declared_length_200(tmp_path):
    variables = [Variable("AETERM", "Reported Term", "char", 200)]
    assert refusal(tmp_path, variables, [("x" * 201,)]) == (
        "AE.AETERM: value in row 1 has 201 bytes > 200, the XPT v5 limit"
    )


def test_value_at_declared_length_is_accepted(tmp_path):
    variables = [Variable("AETERM", "Reported Term", "char", 20)]
    assert write(tmp_path, variables, [("x" * 20,)]).members[0].row_count == 1


def test_value_beyond_declared_length_is_refused(tmp_path):
    variables = [Variable("AETERM", "Reported Term", "char", 20)]
    assert refusal(tmp_path, variables, [("x" * 20,), ("x" * 21,)]) == (
        "AE.AETERM: value in row 2 has 21 bytes > 20, the declared length of AETERM"
    )


@pytest.mark.parametrize("length", [0, 201])
def test_declared_character_length_outside_1_to_200_is_refused(tmp_path, length):
    variables = [Variable("AETERM", "Reported Term", "char", length)]
    assert refusal(tmp_path, variables, [("x",)]) == (
        f"AE.AETERM length {length}: must be 1-200 bytes, the XPT v5 limit"
    )


def test_numeric_length_other_than_8_is_refused(tmp_path):
    assert refusal(tmp_path, [Variable("AESEQ", "s", "num", 4)], [(1,)]) == (
        "AE.AESEQ length 4: must be 8 for a numeric variable (a full IBM double; shorter loses "
        "precision)"
    )


def test_unknown_variable_type_is_refused(tmp_path):
    message = refusal(tmp_path, [Variable("AESTDT", "s", "date")], [(1,)], error=UnknownTerm)  # type: ignore[arg-type]
    assert message == "AE.AESTDT type 'date': not recognised; expected char, num"


@pytest.mark.parametrize("value", [7.3e75, -(2.0**252), 1e300])
def test_numeric_beyond_ibm_range_is_refused(tmp_path, value):
    assert refusal(tmp_path, NUM, [(1,), (value,)]) == (
        f"AE.AESEQ: value {value!r} in row 2 is outside the IBM 370 double range "
        "16**-65 <= |x| < 16**63 (about 5.4e-79 to 7.2e75), the XPT v5 limit; use None or "
        "SasMissing for a missing value"
    )


@pytest.mark.parametrize("value", [float(np.nextafter(2.0**-260, 0)), 1e-300, -5e-324])
def test_numeric_below_ibm_range_is_refused_not_flushed_to_zero(tmp_path, value):
    assert refusal(tmp_path, NUM, [(value,)]) == (
        f"AE.AESEQ: value {value!r} in row 1 is outside the IBM 370 double range "
        "16**-65 <= |x| < 16**63 (about 5.4e-79 to 7.2e75), the XPT v5 limit; use None or "
        "SasMissing for a missing value"
    )


def test_infinity_is_refused(tmp_path):
    assert refusal(tmp_path, NUM, [(-math.inf,)]).startswith(
        "AE.AESEQ: value -inf in row 1 is outside"
    )


def test_integer_beyond_2_pow_53_is_refused(tmp_path):
    assert refusal(tmp_path, NUM, [(2**53 + 1,)]) == (
        "AE.AESEQ: value 9007199254740993 in row 1 is beyond 2**53 and not exact as a double"
    )


@pytest.mark.parametrize(("value", "kind"), [("3", "str"), (True, "bool"), (b"3", "bytes")])
def test_non_number_in_numeric_variable_is_refused(tmp_path, value, kind):
    assert refusal(tmp_path, NUM, [(value,)]) == (
        f"AE.AESEQ: value {value!r} in row 1 is {kind}; a numeric variable takes int, float, "
        "Decimal, None or SasMissing"
    )


def test_non_text_in_character_variable_is_refused(tmp_path):
    assert refusal(tmp_path, TERM, [("ok",), (3,)]) == (
        "AE.AETERM: value 3 in row 2 is int; a character variable takes str or None"
    )


def test_row_with_too_few_values_is_refused(tmp_path):
    variables = [*TERM, *NUM]
    assert refusal(tmp_path, variables, [("x", 1), ("y",)]) == (
        "AE row 2: has 1 values; expected 2 (AETERM, AESEQ)"
    )


def test_mapping_row_without_a_variable_is_refused(tmp_path):
    variables = [*TERM, *NUM]
    assert refusal(tmp_path, variables, [{"AETERM": "x", "AESEQ": 1}, {"AETERM": "y"}]) == (
        "AE.AESEQ: missing in row 2"
    )


def test_mapping_row_with_an_unknown_key_is_refused(tmp_path):
    assert refusal(tmp_path, NUM, [{"AESEQ": 1, "AETERMX": "y"}]) == (
        "AE row 1: unknown variables AETERMX; expected AESEQ"
    )


def test_mixed_mapping_and_sequence_rows_are_refused(tmp_path):
    assert refusal(tmp_path, NUM, [{"AESEQ": 1}, (2,)]) == (
        "AE row 1: is dict; rows must be all mappings or all sequences in variable order"
    )


def test_unknown_lengths_with_a_one_shot_iterator_are_refused(tmp_path):
    rows = iter([("x",)])
    assert refusal(tmp_path, TERM, rows) == (
        "AE rows: character lengths of AETERM are not given, so the rows are read twice; pass a "
        "list (or another re-iterable) or declare Variable.length"
    )


def test_entirely_blank_last_observation_is_refused(tmp_path):
    assert refusal(tmp_path, TERM, [("x",), ("",), (None,)]) == (
        "AE row 3: the last observation is entirely blank, which XPT v5 readers cannot tell from "
        "the end-of-file padding (pyreadstat drops it); end with a non-blank row"
    )


def test_blank_last_character_value_with_a_numeric_is_accepted(tmp_path):
    variables = [*TERM, *NUM]
    assert write(tmp_path, variables, [("x", 1), ("", None)]).members[0].row_count == 2


@pytest.mark.parametrize("text", ["DATE", "9.2.1", "$"])
def test_malformed_format_is_refused(tmp_path, text):
    assert refusal(tmp_path, [Variable("X", "x", "num", format=text)], [(1,)]) == (
        f"AE.X format {text!r}: not a SAS format; expected [$]NAME[w].[d], e.g. DATE9."
    )


def test_format_name_longer_than_8_is_refused(tmp_path):
    variables = [Variable("X", "x", "num", format="DATETIMEX20.")]
    assert refusal(tmp_path, variables, [(1,)]) == (
        "AE.X format 'DATETIMEX20.': format name 9 characters > 8, the XPT v5 limit"
    )


def test_character_format_on_numeric_is_refused(tmp_path):
    variables = [Variable("X", "x", "num", format="$CHAR8.")]
    assert refusal(tmp_path, variables, [(1,)]) == (
        "AE.X format '$CHAR8.': a numeric variable cannot take a $ format"
    )


def test_numeric_format_on_character_is_refused(tmp_path):
    variables = [Variable("X", "x", "char", 8, format="DATE9.")]
    assert refusal(tmp_path, variables, [("x",)]) == (
        "AE.X format 'DATE9.': a character variable needs a $ format"
    )


def test_same_dataset_name_twice_in_one_file_is_refused(tmp_path):
    dataset = Dataset("AE", "", NUM, [(1,)])
    with pytest.raises(InvalidInput) as caught:
        write_xpt(tmp_path / "x.xpt", [dataset, dataset], created=CREATED)
    assert str(caught.value) == "XPT dataset name 'AE': appears twice in one file"


def test_no_datasets_is_refused(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        write_xpt(tmp_path / "x.xpt", [], created=CREATED)
    assert str(caught.value) == "XPT datasets: at least one dataset is required"


def test_header_errors_are_raised_before_anything_is_written(tmp_path):
    good = Dataset("DM", "", NUM, [(1,)])
    bad = Dataset("AE", "", [Variable("aeseq", "x", "num")], [(1,)])
    with pytest.raises(InvalidInput):
        write_xpt(tmp_path / "x.xpt", [good, bad], created=CREATED)
    assert list(tmp_path.iterdir()) == []


def test_utf8_value_of_exactly_200_bytes_is_accepted(tmp_path):
    result = write(tmp_path, TERM, [("é" * 100,)])  # 100 characters, 200 bytes
    assert result.members[0].layout.variables[0].length == 200


def test_nul_in_a_character_value_is_refused(tmp_path):
    # pyreadstat and R's foreign both cut the value at the NUL byte.
    variables = [Variable("AETERM", "Reported Term", "char", 8)]
    assert refusal(tmp_path, variables, [("ok",), ("a\x00b",)]) == (
        "AE.AETERM: value in row 2 holds a NUL character, which XPT readers take as the end of "
        "the value"
    )


def test_nul_in_a_label_is_refused(tmp_path):
    assert refusal(tmp_path, [Variable("X", "a\x00b", "num")], [(1,)]) == (
        "AE.X label 'a\\x00b': holds a NUL character, which XPT readers take as the end"
    )
