"""Read ODM 1.3.2 XML back into the typed model of :mod:`ramunet.exports.odm_model`.

Reads what :mod:`ramunet.exports.odm_write` writes: one Study with one MetaDataVersion, at most
one AdminData and at most one ClinicalData. Elements and attributes outside that model (e.g.
RangeCheck, MethodDef, Annotation) are ignored. The parser does not resolve entities or touch
the network (safe for uploaded files).

References
----------
CDISC, "Specification for the Operational Data Model (ODM) Version 1.3.2 Final", 2013-12-01.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.odm_model import (
    AdminData,
    AuditRecord,
    ClinicalDataModel,
    CodeList,
    CodeListItem,
    EventDef,
    FormData,
    FormDef,
    ItemData,
    ItemDef,
    ItemGroupData,
    ItemGroupDef,
    ItemRef,
    Location,
    MeasurementUnit,
    MetaDataVersionRef,
    Ref,
    Signature,
    SignatureDef,
    StudyEventData,
    StudyMeta,
    SubjectData,
    Texts,
    TranslatedText,
    User,
)

ODM_NS: Final = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"


def _q(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _children(element: Any, tag: str) -> list[Any]:
    return list(element.iterchildren(_q(tag)))


def _one(element: Any, tag: str, where: str) -> Any:
    found = _children(element, tag)
    if len(found) != 1:
        raise InvalidInput(f"ODM {where}", f"expected exactly one {tag}, found {len(found)}")
    return found[0]


def _optional(element: Any, tag: str) -> Any | None:
    found = _children(element, tag)
    return found[0] if found else None


def _text_of(element: Any, tag: str) -> str | None:
    child = _optional(element, tag)
    return None if child is None else str(child.text or "")


def _required(element: Any, attribute: str) -> str:
    value = element.get(attribute)
    if value is None:
        name = etree.QName(element).localname
        raise InvalidInput(f"ODM {name}", f"required attribute {attribute} is missing")
    return str(value)


def _int(element: Any, attribute: str) -> int | None:
    value = element.get(attribute)
    return None if value is None else int(value)


def _yes(element: Any, attribute: str) -> bool:
    return bool(element.get(attribute) == "Yes")


def _texts(element: Any | None) -> Texts:
    if element is None:
        return ()
    return tuple(
        TranslatedText(str(text.text or ""), text.get(XML_LANG))
        for text in _children(element, "TranslatedText")
    )


def _refs(element: Any, tag: str, attribute: str) -> tuple[Ref, ...]:
    return tuple(
        Ref(_required(ref, attribute), _yes(ref, "Mandatory"), _int(ref, "OrderNumber"))
        for ref in _children(element, tag)
    )


def _meta(study: Any) -> StudyMeta:
    globals_ = _one(study, "GlobalVariables", "Study")
    version = _one(study, "MetaDataVersion", "Study")
    basic = _optional(study, "BasicDefinitions")
    units = tuple(
        MeasurementUnit(
            _required(unit, "OID"), _required(unit, "Name"), _texts(_optional(unit, "Symbol"))
        )
        for unit in ([] if basic is None else _children(basic, "MeasurementUnit"))
    )
    protocol = _optional(version, "Protocol")
    return StudyMeta(
        oid=_required(study, "OID"),
        name=_text_of(globals_, "StudyName") or "",
        description=_text_of(globals_, "StudyDescription") or "",
        protocol_name=_text_of(globals_, "ProtocolName") or "",
        mdv_oid=_required(version, "OID"),
        mdv_name=_required(version, "Name"),
        mdv_description=version.get("Description"),
        protocol=() if protocol is None else _refs(protocol, "StudyEventRef", "StudyEventOID"),
        events=tuple(
            EventDef(
                oid=_required(e, "OID"),
                name=_required(e, "Name"),
                repeating=_yes(e, "Repeating"),
                type=_required(e, "Type"),  # type: ignore[arg-type]  # checked in EventDef
                form_refs=_refs(e, "FormRef", "FormOID"),
                category=e.get("Category"),
            )
            for e in _children(version, "StudyEventDef")
        ),
        forms=tuple(
            FormDef(
                _required(f, "OID"),
                _required(f, "Name"),
                _yes(f, "Repeating"),
                _refs(f, "ItemGroupRef", "ItemGroupOID"),
            )
            for f in _children(version, "FormDef")
        ),
        item_groups=tuple(_item_group(g) for g in _children(version, "ItemGroupDef")),
        items=tuple(_item_def(i) for i in _children(version, "ItemDef")),
        code_lists=tuple(_code_list(c) for c in _children(version, "CodeList")),
        units=units,
    )


def _item_group(group: Any) -> ItemGroupDef:
    return ItemGroupDef(
        oid=_required(group, "OID"),
        name=_required(group, "Name"),
        repeating=_yes(group, "Repeating"),
        item_refs=tuple(
            ItemRef(
                _required(ref, "ItemOID"),
                _yes(ref, "Mandatory"),
                _int(ref, "OrderNumber"),
                _int(ref, "KeySequence"),
            )
            for ref in _children(group, "ItemRef")
        ),
        domain=group.get("Domain"),
        sas_dataset_name=group.get("SASDatasetName"),
        origin=group.get("Origin"),
        purpose=group.get("Purpose"),
        comment=group.get("Comment"),
    )


def _item_def(item: Any) -> ItemDef:
    code_list = _optional(item, "CodeListRef")
    return ItemDef(
        oid=_required(item, "OID"),
        name=_required(item, "Name"),
        data_type=_required(item, "DataType"),  # type: ignore[arg-type]  # checked in ItemDef
        length=_int(item, "Length"),
        significant_digits=_int(item, "SignificantDigits"),
        question=_texts(_optional(item, "Question")),
        measurement_unit_oids=tuple(
            _required(unit, "MeasurementUnitOID") for unit in _children(item, "MeasurementUnitRef")
        ),
        code_list_oid=None if code_list is None else _required(code_list, "CodeListOID"),
        sas_field_name=item.get("SASFieldName"),
        sds_var_name=item.get("SDSVarName"),
        origin=item.get("Origin"),
        comment=item.get("Comment"),
    )


def _code_list(code_list: Any) -> CodeList:
    return CodeList(
        oid=_required(code_list, "OID"),
        name=_required(code_list, "Name"),
        data_type=_required(code_list, "DataType"),  # type: ignore[arg-type]  # checked
        items=tuple(
            CodeListItem(
                _required(code, "CodedValue"),
                _texts(_optional(code, "Decode")),
                _int(code, "OrderNumber"),
            )
            for code in _children(code_list, "CodeListItem")
        ),
        sas_format_name=code_list.get("SASFormatName"),
    )


def _admin(admin: Any) -> AdminData:
    users = tuple(
        User(
            oid=_required(user, "OID"),
            user_type=user.get("UserType"),
            login_name=_text_of(user, "LoginName"),
            display_name=_text_of(user, "DisplayName"),
            full_name=_text_of(user, "FullName"),
            organization=_text_of(user, "Organization"),
            emails=tuple(str(email.text or "") for email in _children(user, "Email")),
            location_oids=tuple(
                _required(ref, "LocationOID") for ref in _children(user, "LocationRef")
            ),
        )
        for user in _children(admin, "User")
    )
    locations = tuple(
        Location(
            oid=_required(location, "OID"),
            name=_required(location, "Name"),
            location_type=location.get("LocationType"),
            mdv_refs=tuple(
                MetaDataVersionRef(
                    _required(ref, "StudyOID"),
                    _required(ref, "MetaDataVersionOID"),
                    date.fromisoformat(_required(ref, "EffectiveDate")),
                )
                for ref in _children(location, "MetaDataVersionRef")
            ),
        )
        for location in _children(admin, "Location")
    )
    signature_defs = tuple(
        SignatureDef(
            oid=_required(sig, "OID"),
            meaning=_text_of(sig, "Meaning") or "",
            legal_reason=_text_of(sig, "LegalReason") or "",
            methodology=sig.get("Methodology"),
        )
        for sig in _children(admin, "SignatureDef")
    )
    return AdminData(users, locations, signature_defs, admin.get("StudyOID"))


def _stamp(element: Any) -> datetime:
    return datetime.fromisoformat(_text_of(element, "DateTimeStamp") or "")


def _audit(element: Any) -> dict[str, Any]:
    """The shared TransactionType, AuditRecord and Signature of a data element."""
    audit = _optional(element, "AuditRecord")
    signature = _optional(element, "Signature")
    return {
        "transaction_type": element.get("TransactionType"),
        "audit": None
        if audit is None
        else AuditRecord(
            _required(_one(audit, "UserRef", "AuditRecord"), "UserOID"),
            _required(_one(audit, "LocationRef", "AuditRecord"), "LocationOID"),
            _stamp(audit),
            _text_of(audit, "ReasonForChange"),
            _text_of(audit, "SourceID"),
        ),
        "signature": None
        if signature is None
        else Signature(
            _required(_one(signature, "UserRef", "Signature"), "UserOID"),
            _required(_one(signature, "LocationRef", "Signature"), "LocationOID"),
            _required(_one(signature, "SignatureRef", "Signature"), "SignatureOID"),
            _stamp(signature),
        ),
    }


def _item_data(item: Any) -> ItemData:
    unit = _optional(item, "MeasurementUnitRef")
    return ItemData(
        _required(item, "ItemOID"),
        item.get("Value"),
        is_null=item.get("IsNull") == "Yes",
        measurement_unit_oid=None if unit is None else _required(unit, "MeasurementUnitOID"),
        **_audit(item),
    )


def _subject(subject: Any) -> SubjectData:
    site = _optional(subject, "SiteRef")
    return SubjectData(
        _required(subject, "SubjectKey"),
        tuple(
            StudyEventData(
                _required(event, "StudyEventOID"),
                tuple(
                    FormData(
                        _required(form, "FormOID"),
                        tuple(
                            ItemGroupData(
                                _required(group, "ItemGroupOID"),
                                tuple(_item_data(i) for i in _children(group, "ItemData")),
                                group.get("ItemGroupRepeatKey"),
                                **_audit(group),
                            )
                            for group in _children(form, "ItemGroupData")
                        ),
                        form.get("FormRepeatKey"),
                        **_audit(form),
                    )
                    for form in _children(event, "FormData")
                ),
                event.get("StudyEventRepeatKey"),
                **_audit(event),
            )
            for event in _children(subject, "StudyEventData")
        ),
        site_oid=None if site is None else _required(site, "LocationOID"),
        **_audit(subject),
    )


def read_odm(data: bytes) -> tuple[StudyMeta, ClinicalDataModel]:
    """Parse an ODM 1.3.2 document into its study metadata and clinical data.

    A file without ClinicalData gives a ClinicalDataModel with no subjects for the study's
    metadata version.

    Raises
    ------
    InvalidInput
        Not ODM 1.3 XML, or more than one Study, MetaDataVersion, AdminData or ClinicalData.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InvalidInput("ODM document", f"not well-formed XML: {error}") from None
    if root.tag != _q("ODM"):
        raise InvalidInput("ODM document", f"root element must be ODM in {ODM_NS}", root.tag)
    meta = _meta(_one(root, "Study", "ODM"))
    admins = _children(root, "AdminData")
    clinicals = _children(root, "ClinicalData")
    if len(admins) > 1 or len(clinicals) > 1:
        raise InvalidInput("ODM document", "at most one AdminData and one ClinicalData expected")
    admin = _admin(admins[0]) if admins else None
    if not clinicals:
        return meta, ClinicalDataModel(meta.oid, meta.mdv_oid, (), admin)
    clinical = clinicals[0]
    subjects = tuple(_subject(s) for s in _children(clinical, "SubjectData"))
    return meta, ClinicalDataModel(
        _required(clinical, "StudyOID"), _required(clinical, "MetaDataVersionOID"), subjects, admin
    )
