"""ODM 1.3.2 ClinicalData written as text, one subject at a time, for exports of any size.

:func:`ramunet.exports.odm_write.build_odm` builds a whole document in memory, which suits
metadata and small files. A trial of thousands of patients is streamed instead: the head of
the document (Study, AdminData) comes from ``build_odm``, and each ``SubjectData`` is
written here as XML text, in the element order of the ODM 1.3.2 schema
(AuditRecord, Signature, SiteRef, then the children), escaping attribute values so that
they read back unchanged (line breaks and tabs as character references, since XML
normalises them to spaces in attributes). Tests validate the result against the schema.

References
----------
CDISC, "ODM 1.3.2" §3.1.4 ClinicalData; W3C XML 1.0 §3.3.3 attribute-value normalisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO, Final

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.catalogue import FieldSpec, value_text
from ramunet.exports.odm_model import aware
from ramunet.exports.odm_write import odm_bytes

_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: what an attribute value escapes, ``&`` first (``str.replace`` in turn: several times faster
#: than ``str.translate`` with a mapping on long values)
_ESCAPES: Final = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
    ("\t", "&#9;"),
)


#: a date time as ISO 8601 text with its offset (what ``isoformat`` writes of an aware one)
_AWARE_TEXT: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?[+-]\d\d:\d\d")
#: a character to escape or refuse: text without one (most values) goes out as it is
_SPECIAL: Final = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def attr(field: str, value: str) -> str:
    """``value`` escaped for a double-quoted XML attribute; refuses what XML 1.0 cannot carry."""
    if _SPECIAL.search(value) is None:
        return value
    if _NOT_XML.search(value):
        raise InvalidInput(
            field, "holds characters XML 1.0 cannot carry (NUL or control characters)", value
        )
    for character, reference in _ESCAPES:
        if character in value:
            value = value.replace(character, reference)
    return value


def item(oid: str, value: str) -> str:
    return f'<ItemData ItemOID="{oid}" Value="{attr(oid, value)}"/>'


#: kinds whose value text (``value_text``) holds no character an attribute escapes
_PLAIN_KINDS: Final = frozenset({"boolean", "date", "datetime", "decimal"})


def item_writer(field: FieldSpec, oid: str) -> Callable[[object], str | None]:
    """For one field: a function giving ``item(oid, value_text(field, value))`` for a value
    that is not None (None where ``value_text`` gives None), the same text, with the work
    for the field's kind chosen once; ISO dates, decimals, booleans and integers need no
    escaping."""
    head = f'<ItemData ItemOID="{oid}" Value="'
    if field.kind in _PLAIN_KINDS:

        def plain(value: object) -> str | None:
            return f'{head}{value_text(field, value)}"/>'

        return plain
    if field.kind == "json":

        def encoded(value: object) -> str | None:
            return f'{head}{attr(oid, value_text(field, value))}"/>'  # type: ignore[arg-type]

        return encoded
    empty_is_none = field.kind == "text"

    def text(value: object) -> str | None:
        if type(value) is int:
            return f'{head}{value}"/>'
        written = str(value)
        if written == "" and empty_is_none:
            return None
        return f'{head}{attr(oid, written)}"/>'

    return text


def item_group(oid: str, items: Iterable[str], repeat_key: str | None = None) -> str:
    key = "" if repeat_key is None else f' ItemGroupRepeatKey="{attr(oid, repeat_key)}"'
    return f'<ItemGroupData ItemGroupOID="{oid}"{key}>{"".join(items)}</ItemGroupData>'


def audit_record(
    user_oid: str,
    location_oid: str,
    stamp: datetime | str,
    reason: str | None = None,
    source_id: str | None = None,
) -> str:
    """An AuditRecord element (ODM §3.1.5.2): who, where, when, why, source. ``stamp`` is
    an aware date time, or one already written as ISO 8601 text with its offset."""
    if isinstance(stamp, str):
        if _AWARE_TEXT.fullmatch(stamp) is None:
            raise InvalidInput("AuditRecord DateTimeStamp", "ISO 8601 with an offset", stamp)
        written = stamp
    else:
        aware("AuditRecord DateTimeStamp", stamp)
        written = stamp.isoformat()
    parts = [
        f'<AuditRecord><UserRef UserOID="{attr("UserOID", user_oid)}"/>',
        f'<LocationRef LocationOID="{attr("LocationOID", location_oid)}"/>',
        f"<DateTimeStamp>{written}</DateTimeStamp>",
    ]
    if reason:
        parts.append(f"<ReasonForChange>{attr('ReasonForChange', reason)}</ReasonForChange>")
    if source_id:
        parts.append(f"<SourceID>{attr('SourceID', source_id)}</SourceID>")
    return "".join(parts) + "</AuditRecord>"


def signature(user_oid: str, location_oid: str, signature_oid: str, stamp: datetime) -> str:
    """A Signature element (ODM §3.1.5.3)."""
    aware("Signature DateTimeStamp", stamp)
    return (
        f'<Signature><UserRef UserOID="{attr("UserOID", user_oid)}"/>'
        f'<LocationRef LocationOID="{attr("LocationOID", location_oid)}"/>'
        f'<SignatureRef SignatureOID="{attr("SignatureOID", signature_oid)}"/>'
        f"<DateTimeStamp>{stamp.isoformat()}</DateTimeStamp></Signature>"
    )


def form(oid: str, groups: Iterable[str], repeat_key: str | None = None, audit: str = "") -> str:
    key = "" if repeat_key is None else f' FormRepeatKey="{attr(oid, repeat_key)}"'
    return f'<FormData FormOID="{oid}"{key}>{audit}{"".join(groups)}</FormData>'


def event(oid: str, forms: Iterable[str], repeat_key: str | None = None) -> str:
    key = "" if repeat_key is None else f' StudyEventRepeatKey="{attr(oid, repeat_key)}"'
    return f'<StudyEventData StudyEventOID="{oid}"{key}>{"".join(forms)}</StudyEventData>'


def subject(key: str, events: Iterable[str], site_oid: str | None = None, signed: str = "") -> str:
    site = "" if site_oid is None else f'<SiteRef LocationOID="{attr("SiteRef", site_oid)}"/>'
    body = "".join(events)
    return (
        f'<SubjectData SubjectKey="{attr("SubjectKey", key)}">{signed}{site}{body}</SubjectData>\n'
    )


def stream_document(
    out: IO[bytes], head: etree._ElementTree, study_oid: str, mdv_oid: str, subjects: Iterable[str]
) -> int:
    """Write ``head`` (an ODM document from ``build_odm`` with an empty ClinicalData) with
    ``subjects`` (SubjectData texts) streamed into its ClinicalData; the subject count."""
    text = odm_bytes(head)
    start = text.rindex(b"<ClinicalData")
    out.write(text[:start])
    out.write(
        f'<ClinicalData StudyOID="{attr("StudyOID", study_oid)}" '
        f'MetaDataVersionOID="{attr("MetaDataVersionOID", mdv_oid)}">\n'.encode()
    )
    count = 0
    block: list[str] = []
    for element in subjects:
        block.append(element)
        count += 1
        if len(block) == 50:
            out.write("".join(block).encode("utf-8"))
            block = []
    out.write("".join(block).encode("utf-8"))
    out.write(b"</ClinicalData>\n</ODM>\n")
    return count
