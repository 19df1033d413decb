"""Property: any valid table round-trips through write_xpt and pyreadstat unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ramunet.exports.xpt import write_xpt
from ramunet.exports.xpt_model import Dataset, Variable
from tests.exports.xpt_support import CREATED, read_back

names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,7}", fullmatch=True)
labels = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
# SAS character values are blank-padded, so trailing blanks are not significant: generate
# values without them. NUL and lone surrogates are not text.
texts = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00", exclude_categories=("Cs",)),
    max_size=60,
).map(lambda text: text.rstrip(" "))
in_range = st.floats(min_value=2.0**-260, max_value=float(np.nextafter(2.0**252, 0)))
numbers = st.one_of(
    st.none(),
    st.just(0.0),
    in_range,
    in_range.map(lambda value: -value),
    st.integers(min_value=-(2**53), max_value=2**53),
)


@st.composite
def tables(draw):
    variable_names = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    variables = [
        Variable(name, draw(labels), draw(st.sampled_from(["char", "num"])))
        for name in variable_names
    ]
    row_values = [texts if v.type == "char" else numbers for v in variables]
    rows = draw(st.lists(st.tuples(*row_values), max_size=30))
    # An entirely blank last observation is refused by design (see test_xpt_limits).
    assume(
        not rows
        or any(
            value not in ("", None) or v.type == "num"
            for v, value in zip(variables, rows[-1], strict=True)
        )
    )
    return Dataset(draw(names), draw(labels), variables, rows)


def expected_columns(dataset: Dataset) -> dict[str, list[object]]:
    columns: dict[str, list[object]] = {}
    for index, variable in enumerate(dataset.variables):
        column = [row[index] for row in dataset.rows]
        if variable.type == "num":
            columns[variable.name] = [None if v is None else float(v) for v in column]
        else:
            columns[variable.name] = column
    return columns


def as_read(label: str) -> str | None:
    """Labels are blank-padded fields: pyreadstat strips trailing blanks, empty is None."""
    return label.rstrip(" ") or None


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(tables(), st.integers(min_value=1, max_value=7))
def test_random_valid_tables_round_trip_through_pyreadstat(dataset, batch_rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xpt"
        write_xpt(path, dataset, created=CREATED, batch_rows=batch_rows)
        data, meta = read_back(path)
    assert data == expected_columns(dataset)
    assert meta.column_labels == [as_read(v.label) for v in dataset.variables]
    assert (meta.table_name, meta.file_label) == (dataset.name, as_read(dataset.label))
