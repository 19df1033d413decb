"""Write CDISC ODM 1.3.2 XML from the typed model in :mod:`ramunet.exports.odm_model`.

Elements are emitted in the order the ODM 1.3.2 schema prescribes, so the output validates
against ``ODM1-3-2.xsd`` (see :func:`ramunet.exports.odm_check.validate_odm`). By default the
writer also refuses a document with dangling OID references, which the schema alone does not
catch.

References
----------
CDISC, "Specification for the Operational Data Model (ODM) Version 1.3.2 Final", 2013-12-01,
§3.1 (element and attribute definitions); element order as in ODM1-3-2-foundation.xsd.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.odm_check import check_oid_references
from ramunet.exports.odm_model import (
    FILE_TYPES,
    AdminData,
    AuditRecord,
    ClinicalDataModel,
    FileType,
    ItemData,
    Ref,
    Signature,
    StudyMeta,
    Texts,
    aware,
    one_of,
)

ODM_NS: Final = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _sub(
    parent: etree._Element, tag: str, attributes: dict[str, str | int | None] | None = None
) -> etree._Element:
    """Append ``tag`` with the attributes that are not ``None`` (in the given order)."""
    element = etree.SubElement(parent, f"{{{ODM_NS}}}{tag}")
    for name, value in (attributes or {}).items():
        if value is not None:
            try:
                element.set(name, str(value))
            except ValueError:
                raise _not_xml(f"ODM {tag}/@{name}", str(value)) from None
    return element


def _not_xml(field: str, text: str) -> InvalidInput:
    return InvalidInput(
        field, "holds characters XML 1.0 cannot carry (NUL or control characters)", text
    )


def _set_text(element: etree._Element, text: str) -> None:
    try:
        element.text = text
    except ValueError:
        raise _not_xml(f"ODM {etree.QName(element).localname}", text) from None


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = _sub(parent, tag)
    _set_text(element, text)
    return element


def _translated(parent: etree._Element, tag: str, texts: Texts) -> None:
    holder = _sub(parent, tag)
    for translated in texts:
        element = _sub(holder, "TranslatedText")
        if translated.lang is not None:
            element.set(XML_LANG, translated.lang)
        _set_text(element, translated.text)


def _refs(parent: etree._Element, tag: str, attribute: str, refs: tuple[Ref, ...]) -> None:
    for ref in refs:
        _sub(
            parent,
            tag,
            {
                attribute: ref.oid,
                "OrderNumber": ref.order_number,
                "Mandatory": _yes_no(ref.mandatory),
            },
        )


def _study(root: etree._Element, meta: StudyMeta) -> None:
    study = _sub(root, "Study", {"OID": meta.oid})
    globals_ = _sub(study, "GlobalVariables")
    _text(globals_, "StudyName", meta.name)
    _text(globals_, "StudyDescription", meta.description)
    _text(globals_, "ProtocolName", meta.protocol_name)
    if meta.units:
        basic = _sub(study, "BasicDefinitions")
        for unit in meta.units:
            element = _sub(basic, "MeasurementUnit", {"OID": unit.oid, "Name": unit.name})
            _translated(element, "Symbol", unit.symbol)
    mdv = _sub(
        study,
        "MetaDataVersion",
        {"OID": meta.mdv_oid, "Name": meta.mdv_name, "Description": meta.mdv_description},
    )
    protocol = _sub(mdv, "Protocol")
    _refs(protocol, "StudyEventRef", "StudyEventOID", meta.protocol)
    for event in meta.events:
        element = _sub(
            mdv,
            "StudyEventDef",
            {
                "OID": event.oid,
                "Name": event.name,
                "Repeating": _yes_no(event.repeating),
                "Type": event.type,
                "Category": event.category,
            },
        )
        _refs(element, "FormRef", "FormOID", event.form_refs)
    for form in meta.forms:
        element = _sub(
            mdv,
            "FormDef",
            {"OID": form.oid, "Name": form.name, "Repeating": _yes_no(form.repeating)},
        )
        _refs(element, "ItemGroupRef", "ItemGroupOID", form.item_group_refs)
    for group in meta.item_groups:
        element = _sub(
            mdv,
            "ItemGroupDef",
            {
                "OID": group.oid,
                "Name": group.name,
                "Repeating": _yes_no(group.repeating),
                "SASDatasetName": group.sas_dataset_name,
                "Domain": group.domain,
                "Origin": group.origin,
                "Purpose": group.purpose,
                "Comment": group.comment,
            },
        )
        for ref in group.item_refs:
            _sub(
                element,
                "ItemRef",
                {
                    "ItemOID": ref.item_oid,
                    "OrderNumber": ref.order_number,
                    "Mandatory": _yes_no(ref.mandatory),
                    "KeySequence": ref.key_sequence,
                },
            )
    for item in meta.items:
        element = _sub(
            mdv,
            "ItemDef",
            {
                "OID": item.oid,
                "Name": item.name,
                "DataType": item.data_type,
                "Length": item.length,
                "SignificantDigits": item.significant_digits,
                "SASFieldName": item.sas_field_name,
                "SDSVarName": item.sds_var_name,
                "Origin": item.origin,
                "Comment": item.comment,
            },
        )
        if item.question:
            _translated(element, "Question", item.question)
        for unit_oid in item.measurement_unit_oids:
            _sub(element, "MeasurementUnitRef", {"MeasurementUnitOID": unit_oid})
        if item.code_list_oid is not None:
            _sub(element, "CodeListRef", {"CodeListOID": item.code_list_oid})
    for code_list in meta.code_lists:
        element = _sub(
            mdv,
            "CodeList",
            {
                "OID": code_list.oid,
                "Name": code_list.name,
                "DataType": code_list.data_type,
                "SASFormatName": code_list.sas_format_name,
            },
        )
        for code in code_list.items:
            item_element = _sub(
                element,
                "CodeListItem",
                {"CodedValue": code.coded_value, "OrderNumber": code.order_number},
            )
            _translated(item_element, "Decode", code.decode)


def _admin(root: etree._Element, admin: AdminData) -> None:
    element = _sub(root, "AdminData", {"StudyOID": admin.study_oid})
    for user in admin.users:
        user_element = _sub(element, "User", {"OID": user.oid, "UserType": user.user_type})
        for tag, value in (
            ("LoginName", user.login_name),
            ("DisplayName", user.display_name),
            ("FullName", user.full_name),
            ("Organization", user.organization),
        ):
            if value is not None:
                _text(user_element, tag, value)
        for email in user.emails:
            _text(user_element, "Email", email)
        for location_oid in user.location_oids:
            _sub(user_element, "LocationRef", {"LocationOID": location_oid})
    for location in admin.locations:
        location_element = _sub(
            element,
            "Location",
            {"OID": location.oid, "Name": location.name, "LocationType": location.location_type},
        )
        for ref in location.mdv_refs:
            _sub(
                location_element,
                "MetaDataVersionRef",
                {
                    "StudyOID": ref.study_oid,
                    "MetaDataVersionOID": ref.mdv_oid,
                    "EffectiveDate": ref.effective_date.isoformat(),
                },
            )
    for signature_def in admin.signature_defs:
        def_element = _sub(
            element,
            "SignatureDef",
            {"OID": signature_def.oid, "Methodology": signature_def.methodology},
        )
        _text(def_element, "Meaning", signature_def.meaning)
        _text(def_element, "LegalReason", signature_def.legal_reason)


def _audit_and_signature(
    parent: etree._Element, audit: AuditRecord | None, signature: Signature | None
) -> None:
    if audit is not None:
        element = _sub(parent, "AuditRecord")
        _sub(element, "UserRef", {"UserOID": audit.user_oid})
        _sub(element, "LocationRef", {"LocationOID": audit.location_oid})
        _text(element, "DateTimeStamp", audit.date_time_stamp.isoformat())
        if audit.reason_for_change is not None:
            _text(element, "ReasonForChange", audit.reason_for_change)
        if audit.source_id is not None:
            _text(element, "SourceID", audit.source_id)
    if signature is not None:
        element = _sub(parent, "Signature")
        _sub(element, "UserRef", {"UserOID": signature.user_oid})
        _sub(element, "LocationRef", {"LocationOID": signature.location_oid})
        _sub(element, "SignatureRef", {"SignatureOID": signature.signature_oid})
        _text(element, "DateTimeStamp", signature.date_time_stamp.isoformat())


def _item(parent: etree._Element, item: ItemData) -> None:
    element = _sub(
        parent,
        "ItemData",
        {
            "ItemOID": item.item_oid,
            "TransactionType": item.transaction_type,
            "Value": item.value,
            "IsNull": "Yes" if item.is_null else None,
        },
    )
    _audit_and_signature(element, item.audit, item.signature)
    if item.measurement_unit_oid is not None:
        _sub(element, "MeasurementUnitRef", {"MeasurementUnitOID": item.measurement_unit_oid})


def _clinical(root: etree._Element, clinical: ClinicalDataModel) -> None:
    element = _sub(
        root,
        "ClinicalData",
        {"StudyOID": clinical.study_oid, "MetaDataVersionOID": clinical.mdv_oid},
    )
    for subject in clinical.subjects:
        subject_element = _sub(
            element,
            "SubjectData",
            {"SubjectKey": subject.subject_key, "TransactionType": subject.transaction_type},
        )
        _audit_and_signature(subject_element, subject.audit, subject.signature)
        if subject.site_oid is not None:
            _sub(subject_element, "SiteRef", {"LocationOID": subject.site_oid})
        for event in subject.events:
            event_element = _sub(
                subject_element,
                "StudyEventData",
                {
                    "StudyEventOID": event.study_event_oid,
                    "StudyEventRepeatKey": event.repeat_key,
                    "TransactionType": event.transaction_type,
                },
            )
            _audit_and_signature(event_element, event.audit, event.signature)
            for form in event.forms:
                form_element = _sub(
                    event_element,
                    "FormData",
                    {
                        "FormOID": form.form_oid,
                        "FormRepeatKey": form.repeat_key,
                        "TransactionType": form.transaction_type,
                    },
                )
                _audit_and_signature(form_element, form.audit, form.signature)
                for group in form.item_groups:
                    group_element = _sub(
                        form_element,
                        "ItemGroupData",
                        {
                            "ItemGroupOID": group.item_group_oid,
                            "ItemGroupRepeatKey": group.repeat_key,
                            "TransactionType": group.transaction_type,
                        },
                    )
                    _audit_and_signature(group_element, group.audit, group.signature)
                    for item in group.items:
                        _item(group_element, item)


def build_odm(
    meta: StudyMeta,
    clinical: ClinicalDataModel | None = None,
    *,
    file_oid: str,
    created: datetime,
    file_type: FileType = "Snapshot",
    originator: str | None = None,
    source_system: str | None = None,
    source_system_version: str | None = None,
    check_references: bool = True,
) -> etree._ElementTree:
    """Build an ODM 1.3.2 document: Study, then AdminData, then ClinicalData.

    Parameters
    ----------
    meta
        The study and its metadata version.
    clinical
        The clinical data (and the AdminData its audit records and signatures name); omit for a
        metadata-only file.
    file_oid, created
        ODM ``FileOID`` and ``CreationDateTime`` (time-zone aware).
    file_type
        ``"Snapshot"`` (current state) or ``"Transactional"`` (with TransactionType).
    check_references
        Refuse dangling OID references (default), which the schema does not check.

    Raises
    ------
    InvalidInput
        A naive ``created``, an unknown file type or dangling OID references.
    """
    one_of("ODM FileType", file_type, FILE_TYPES)
    aware("ODM CreationDateTime", created)
    root = etree.Element(f"{{{ODM_NS}}}ODM", nsmap={None: ODM_NS})
    for name, value in (
        ("FileType", file_type),
        ("FileOID", file_oid),
        ("CreationDateTime", created.isoformat()),
        ("ODMVersion", "1.3.2"),
        ("Originator", originator),
        ("SourceSystem", source_system),
        ("SourceSystemVersion", source_system_version),
    ):
        if value is not None:
            root.set(name, value)
    _study(root, meta)
    if clinical is not None:
        if clinical.admin is not None:
            _admin(root, clinical.admin)
        _clinical(root, clinical)
    tree = etree.ElementTree(root)
    if check_references:
        dangling = check_oid_references(tree)
        if dangling:
            raise InvalidInput(
                "ODM OID references",
                f"{len(dangling)} point at no definition: "
                + "; ".join(str(reference) for reference in dangling[:5]),
            )
    return tree


def odm_bytes(tree: etree._ElementTree) -> bytes:
    """Serialise as indented UTF-8 XML with a declaration."""
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True))
