"""The data dictionary from an eCRF description."""

from __future__ import annotations

import csv
import io

from ramunet.exports.catalogue import FieldSpec, FormSpec
from ramunet.exports.dictionary import dictionary_csv_lines, dictionary_html

FORM = FormSpec(
    "AE", "adverse event", True,
    (FieldSpec("outcome", "outcome <of event>", "text", required=True, max_length=14,
               choices=(("fatal", "fatal"), ("unknown", "unknown")), checks=("required",)),),
    checks=("ae.grade5",),
)  # fmt: skip


def test_csv_gives_type_allowed_values_and_checks_per_field():
    rows = list(csv.DictReader(io.StringIO("".join(dictionary_csv_lines([FORM])))))
    assert rows[0]["type"] == "text(14)"
    assert rows[0]["allowed_values"] == "fatal = fatal; unknown = unknown"
    assert rows[0]["edit_checks"] == "required"
    assert (rows[1]["field"], rows[1]["edit_checks"]) == ("(form)", "ae.grade5")


def test_html_escapes_labels():
    page = dictionary_html([FORM])
    assert "outcome &lt;of event&gt;" in page
    assert page.startswith("<!DOCTYPE html>")
