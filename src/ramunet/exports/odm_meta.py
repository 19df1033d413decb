"""The study's ODM metadata generated from the eCRF description (:mod:`.catalogue`).

OIDs follow one scheme, so data and metadata meet without a lookup table:

============================  =========================================================
``SE.VISIT``                  a visit (repeating; ``StudyEventRepeatKey`` = visit code)
``SE.EVENTS``                 forms without a visit (adverse events, medications, ...)
``F.<FORM>``                  a form, e.g. ``F.HAEM``; ``IG.<FORM>`` its item group
``IG.<FORM>.<PART>``          a repeating part of a form, e.g. ``IG.TUMOUR.LESION``
``IT.<FORM>.<FIELD>``         a field, e.g. ``IT.HAEM.ANC``
``IT.<FORM>.<FIELD>.MISSING`` its missing-value code (code list ``CL.MISSING``)
``CL.<FORM>.<FIELD>``         a field's choices
``MU.<n>``                    a unit (``MeasurementUnit``), numbered in order of first use
============================  =========================================================

Decision: missing-value codes (ND, UNK, NA) are items of their own beside each field, so an
ODM reader sees "not done" apart from "not answered" (no ItemData at all) without parsing
a combined value.

References
----------
CDISC, "ODM 1.3.2" §3.1.1.3 MetaDataVersion; §3.1.1.3.7 ItemDef; §3.1.1.3.8 CodeList.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from ramunet.exports.catalogue import MISSING_CODES, FieldSpec, FormSpec
from ramunet.exports.odm_model import (
    CodeList,
    CodeListDataType,
    CodeListItem,
    EventDef,
    FormDef,
    ItemDataType,
    ItemDef,
    ItemGroupDef,
    ItemRef,
    MeasurementUnit,
    Ref,
    StudyMeta,
    TranslatedText,
)

STUDY_OID: Final = "ST.RAMUNET"
MDV_OID: Final = "MDV.RAMUNET.1"
VISIT_EVENT: Final = "SE.VISIT"
COMMON_EVENT: Final = "SE.EVENTS"
MISSING_LIST: Final = "CL.MISSING"

_DATA_TYPES: Final[dict[str, ItemDataType]] = {
    "text": "text",
    "integer": "integer",
    "decimal": "float",
    "date": "date",
    "datetime": "datetime",
    "boolean": "boolean",
    "json": "text",
    "reference": "text",
}


def form_oid(code: str) -> str:
    return f"F.{code}"


def group_oid(code: str) -> str:
    return f"IG.{code}"


def item_oid(code: str, field: str) -> str:
    return f"IT.{code}.{field.upper()}"


def missing_oid(code: str, field: str) -> str:
    return f"{item_oid(code, field)}.MISSING"


def code_list_oid(code: str, field: str) -> str:
    return f"CL.{code}.{field.upper()}"


def has_missing_item(spec: FieldSpec) -> bool:
    """Fields a person enters may carry a missing-value code; derived values may not."""
    return not spec.derived and spec.kind not in ("json", "reference")


def _en(text: str) -> tuple[TranslatedText, ...]:
    return (TranslatedText(text, "en"),)


class _Units:
    def __init__(self) -> None:
        self.by_symbol: dict[str, MeasurementUnit] = {}

    def oid(self, symbol: str) -> str:
        if symbol not in self.by_symbol:
            oid = f"MU.{len(self.by_symbol) + 1}"
            self.by_symbol[symbol] = MeasurementUnit(oid, symbol, _en(symbol))
        return self.by_symbol[symbol].oid


def _items(form: FormSpec, units: _Units) -> tuple[list[ItemDef], list[ItemRef], list[CodeList]]:
    items: list[ItemDef] = []
    refs: list[ItemRef] = []
    lists: list[CodeList] = []
    for spec in form.fields:
        oid = item_oid(form.code, spec.name)
        list_oid = None
        if spec.choices:
            list_oid = code_list_oid(form.code, spec.name)
            data_type: CodeListDataType = "integer" if spec.kind == "integer" else "text"
            lists.append(
                CodeList(
                    list_oid,
                    f"{form.code} {spec.name}",
                    data_type,
                    tuple(
                        CodeListItem(code, _en(label), number)
                        for number, (code, label) in enumerate(spec.choices, start=1)
                    ),
                )
            )
        length = spec.max_length if spec.kind == "text" else None
        if spec.kind == "decimal":
            length = spec.digits
        items.append(
            ItemDef(
                oid=oid,
                name=f"{form.code} {spec.name}",
                data_type=_DATA_TYPES[spec.kind],
                length=length,
                significant_digits=spec.decimals if spec.kind == "decimal" else None,
                question=_en(spec.label),
                measurement_unit_oids=(units.oid(spec.unit),) if spec.unit else (),
                code_list_oid=list_oid,
                origin="Derived" if spec.derived else "CRF",
                comment=spec.help or None,
            )
        )
        refs.append(ItemRef(oid, spec.required, len(refs) + 1))
        if has_missing_item(spec):
            missing = missing_oid(form.code, spec.name)
            items.append(
                ItemDef(
                    oid=missing,
                    name=f"{form.code} {spec.name} missing-value code",
                    data_type="text",
                    length=3,
                    question=_en(f"{spec.label}: why missing"),
                    code_list_oid=MISSING_LIST,
                    origin="CRF",
                )
            )
            refs.append(ItemRef(missing, False, len(refs) + 1))
    return items, refs, lists


def build_study_meta(
    forms: Sequence[FormSpec],
    parts: Mapping[str, Sequence[FormSpec]] | None = None,
    *,
    description: str = "RamuNET: ramucirumab + dacarbazine in progressive G1-G2 pancreatic NET",
    mdv_description: str | None = None,
) -> StudyMeta:
    """The Study element of the trial: two event types, one form per eCRF, its items.

    Parameters
    ----------
    forms
        Every form in order, including the pseudo-forms ``SUBJECT`` and ``VISIT`` the EDC
        describes for the patient and visit records.
    parts
        Repeating parts per form code (e.g. ``{"TUMOUR": (lesion, measurement)}``); each part's
        ``code`` is ``<FORM>.<PART>`` and becomes a repeating item group of that form.
    """
    parts = parts or {}
    units = _Units()
    item_defs: list[ItemDef] = []
    groups: list[ItemGroupDef] = []
    lists: list[CodeList] = [
        CodeList(
            MISSING_LIST,
            "missing-value codes",
            "text",
            tuple(CodeListItem(c, _en(label), n) for n, (c, label) in enumerate(MISSING_CODES, 1)),
        )
    ]
    form_defs: list[FormDef] = []
    for form in forms:
        group_refs: list[Ref] = []
        for number, part in enumerate((form, *parts.get(form.code, ())), start=1):
            items, refs, part_lists = _items(part, units)
            item_defs += items
            lists += part_lists
            groups.append(
                ItemGroupDef(
                    oid=group_oid(part.code),
                    name=part.name,
                    repeating=part is not form,
                    item_refs=tuple(refs),
                    domain=part.code.split(".")[0][:8] if part is form else None,
                    origin="CRF",
                )
            )
            group_refs.append(Ref(group_oid(part.code), part is form, number))
        form_defs.append(FormDef(form_oid(form.code), form.name, form.repeating, tuple(group_refs)))
    every_form = tuple(Ref(form_oid(f.code), False, n) for n, f in enumerate(forms, start=1))
    events = (
        EventDef(VISIT_EVENT, "Visit", True, "Scheduled", every_form, category="Visit"),
        EventDef(COMMON_EVENT, "Forms without a visit", False, "Common", every_form),
    )
    return StudyMeta(
        oid=STUDY_OID,
        name="RamuNET",
        description=description,
        protocol_name="RAMUNET",
        mdv_oid=MDV_OID,
        mdv_name="eCRF version 1",
        mdv_description=mdv_description,
        protocol=(Ref(VISIT_EVENT, True, 1), Ref(COMMON_EVENT, False, 2)),
        events=events,
        forms=tuple(form_defs),
        item_groups=tuple(groups),
        items=tuple(item_defs),
        code_lists=tuple(lists),
        units=tuple(units.by_symbol.values()),
    )
