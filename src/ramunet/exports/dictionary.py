"""The data dictionary: every field of every form with its label, type, unit, allowed values
and edit checks, as CSV and as a self-contained HTML page, generated from the eCRF
description (:mod:`ramunet.exports.catalogue`).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from typing import Final

from ramunet.exports.catalogue import MISSING_CODES, FieldSpec, FormSpec
from ramunet.exports.csvsafe import csv_lines

HEADER: Final = (
    "form",
    "form_name",
    "field",
    "label",
    "type",
    "unit",
    "required",
    "allowed_values",
    "edit_checks",
    "derived",
    "note",
)


def _type(spec: FieldSpec) -> str:
    if spec.kind == "text" and spec.max_length:
        return f"text({spec.max_length})"
    if spec.kind == "decimal" and spec.digits is not None:
        return f"decimal({spec.digits},{spec.decimals})"
    return spec.kind


def _allowed(spec: FieldSpec) -> str:
    if spec.choices:
        return "; ".join(f"{code} = {label}" for code, label in spec.choices)
    if spec.kind == "boolean":
        return "true; false"
    return ""


def dictionary_rows(forms: Sequence[FormSpec]) -> Iterator[tuple[str, ...]]:
    """One row per field, in form order, then one row per form-level check list."""
    for form in forms:
        for spec in form.fields:
            yield (
                form.code,
                form.name,
                spec.name,
                spec.label,
                _type(spec),
                spec.unit or "",
                "yes" if spec.required else "no",
                _allowed(spec),
                "; ".join(spec.checks),
                "yes" if spec.derived else "no",
                spec.help,
            )
        if form.checks:
            yield (
                form.code,
                form.name,
                "(form)",
                "edit checks of the form",
                "",
                "",
                "",
                "",
                "; ".join(form.checks),
                "no",
                "rule codes as in discrepancies and queries",
            )


def dictionary_csv_lines(forms: Sequence[FormSpec]) -> Iterator[str]:
    return csv_lines(HEADER, dictionary_rows(forms))


def dictionary_html(forms: Sequence[FormSpec], *, title: str = "RamuNET data dictionary") -> str:
    """A self-contained HTML page: one table per form, the missing-value codes first."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>',
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "margin-bottom:2em}td,th{border:1px solid #bbb;padding:.25em .5em;vertical-align:top;"
        "text-align:left}th{background:#eee}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        "<h2>Missing-value codes</h2><p>A field left empty with a code was asked and is known "
        "to be missing; an empty field without a code was not answered.</p><ul>",
        *(f"<li><b>{esc(code)}</b>: {esc(label)}</li>" for code, label in MISSING_CODES),
        "</ul>",
        "<h2>Forms</h2><ul>",
        *(f'<li><a href="#{esc(f.code)}">{esc(f.code)}</a>: {esc(f.name)}</li>' for f in forms),
        "</ul>",
    ]
    for form in forms:
        parts.append(
            f'<h2 id="{esc(form.code)}">{esc(form.code)}: {esc(form.name)}'
            f"{' (repeating)' if form.repeating else ''}</h2>"
        )
        parts.append("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in HEADER[2:]) + "</tr>")
        for row in dictionary_rows([form]):
            parts.append("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row[2:]) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
