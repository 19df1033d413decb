"""CDISC ODM 1.3.2: one import for the model, the writer, the reader and the checks.

Typical use::

    tree = build_odm(meta, clinical, file_oid="RAMUNET.2026-11-24", created=now)
    assert validate_odm(tree) == []          # the official XML Schema
    data = odm_bytes(tree)
    meta2, clinical2 = read_odm(data)        # the round trip

The writer refuses dangling OID references (:func:`check_oid_references`), which the
schema does not check.
"""

from __future__ import annotations

from ramunet.exports.odm_check import (
    DanglingReference,
    check_oid_references,
    odm_schema_path,
    standards_dir,
    validate_odm,
)
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
    TranslatedText,
    User,
)
from ramunet.exports.odm_read import read_odm
from ramunet.exports.odm_write import ODM_NS, build_odm, odm_bytes

__all__ = [
    "ODM_NS",
    "AdminData",
    "AuditRecord",
    "ClinicalDataModel",
    "CodeList",
    "CodeListItem",
    "DanglingReference",
    "EventDef",
    "FormData",
    "FormDef",
    "ItemData",
    "ItemDef",
    "ItemGroupData",
    "ItemGroupDef",
    "ItemRef",
    "Location",
    "MeasurementUnit",
    "MetaDataVersionRef",
    "Ref",
    "Signature",
    "SignatureDef",
    "StudyEventData",
    "StudyMeta",
    "SubjectData",
    "TranslatedText",
    "User",
    "build_odm",
    "check_oid_references",
    "odm_bytes",
    "odm_schema_path",
    "read_odm",
    "standards_dir",
    "validate_odm",
]
