"""The changed fields of an audit record as CSV lines, cut from its canonical JSON text.

An audit record's payload is canonical JSON (``ramunet.edc.audit.chain.canonical``: keys
sorted, no spaces, ASCII only) holding ``"changes":{"field":[old,new],...}``. The export's
``audit_changes`` table has one CSV line ``seq,field,old,new`` per changed field: text as
it is (formula-escaped), nothing as an empty cell, anything else as its JSON text. With
eleven million changed fields in a large trial, decoding every value into Python objects,
encoding the structured ones again and handing every row to the csv writer is most of what
that table costs. :func:`changes_csv` writes the same lines from the payload's text:

- runs of plain fields, where each value is ``null``, a number, ``true``/``false``, ``{}``,
  ``[]`` or text without a backslash, a comma or a leading formula trigger, are checked by
  one regular expression and turned into CSV by a few ``str.replace`` passes, because such
  text needs neither quoting nor escaping in CSV (the expression also keeps out the few
  values that would make those passes cut in the wrong place);
- any other field (a nested object, text with an escape or a comma) is decoded by ``json``
  to find where it ends; its text is decoded, a structured value is cut from the payload as
  it is (the canonical text is the compact, key-sorted JSON the table promises), and the cell
  is quoted as the csv module quotes it;
- a payload in any other shape gives ``None``, and the caller decodes it in full.

``tests/exports/test_changes_csv.py`` checks the lines equal those of a full ``json.loads``
and ``csv.writer`` for crafted payloads, and the export tests do so on a simulated trial.
"""

from __future__ import annotations

import json
import re
from typing import Final

from ramunet.exports.csvsafe import FORMULA_TRIGGERS, escape_formula

_TRIGGERS: Final = frozenset("".join(FORMULA_TRIGGERS))
#: a value CSV takes without quoting and whose JSON text, quotes removed, is its cell; no
#: text starts with ``:`` and an old value is no ``[]``, so that ``":[`` and ``],"`` occur
#: in a run only between a name and its values and between two fields (``_plain_lines``)
_PLAIN_OLD: Final = (
    r'(?:null|"(?:[^"\\,=+@\-:][^"\\,]*)?"'
    r"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|\{\})"
)
_PLAIN_NEW: Final = _PLAIN_OLD[:-1] + r"|\[\])"
#: one or more plain fields in a row, each with the comma or brace after it
_PLAIN_RUN: Final = re.compile(rf'(?:"\w+":\[{_PLAIN_OLD},{_PLAIN_NEW}\][,}}])+', re.ASCII)
_KEY: Final = re.compile(r'"(\w+)":\[', re.ASCII)
_CHANGES: Final = '"changes":{'
_DECODE: Final = json.JSONDecoder().raw_decode
#: marks a line's start in a plain run until the record's sequence number takes its place
#: (JSON text holds no raw control character)
_LINE: Final = "\x00"


def _plain_lines(text: str) -> str:
    """``"a":[x,y],"b":[z,w]`` (a plain run without its last ``]`` and comma or brace) as
    ``a,x,y`` lines: the keys' quotes and brackets go, ``null`` becomes empty, and the text
    values lose their quotes (they hold none, nor a comma)."""
    lines = text.replace('":[', ",").replace('],"', "\r\n" + _LINE) + "\r\n"
    return lines.replace(",null,", ",,").replace(",null\r\n", ",\r\n").replace('"', "")


def _cell(value: object, text: str) -> str:
    """The CSV cell of a decoded ``value`` whose JSON text is ``text``."""
    if value is None:
        return ""
    if type(value) is str:
        text = value if value[:1] not in _TRIGGERS else escape_formula(value)
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def changes_csv(seq: int, payload: str) -> str | None:
    """The CSV lines (``\\r\\n`` ended) of the changed fields of the canonical ``payload``
    of audit record ``seq``, in the payload's (name) order; ``""`` when it changed none,
    ``None`` when its text is not in the canonical shape read here."""
    start = payload.find(_CHANGES)
    if start < 0:
        return ""
    position = start + len(_CHANGES)
    if payload.startswith("}", position):
        return ""
    prefix = f"{seq},"
    pieces: list[str] = []
    try:
        while True:
            run = _PLAIN_RUN.match(payload, position)
            if run is not None:
                end = run.end()
                lines = _plain_lines(payload[position + 1 : end - 2])
                pieces.append(prefix + lines.replace(_LINE, prefix))
                position = end
                if payload[end - 1] == "}":
                    break
            key = _KEY.match(payload, position)
            if key is None:
                return None
            old_at = key.end()
            old, old_end = _DECODE(payload, old_at)
            if payload[old_end] != ",":
                return None
            new, new_end = _DECODE(payload, old_end + 1)
            if payload[new_end] != "]":
                return None
            before = _cell(old, payload[old_at:old_end])
            after = _cell(new, payload[old_end + 1 : new_end])
            pieces.append(f"{prefix}{key.group(1)},{before},{after}\r\n")
            position = new_end + 2
            following = payload[new_end + 1]
            if following == "}":
                break
            if following != ",":
                return None
    except (ValueError, IndexError):
        return None
    return "".join(pieces)
