"""Check ODM 1.3.2 documents: XML Schema validation and OID referential integrity.

The official schema checks structure and types and declares OID keys, but it does not check
that a reference (``ItemRef/@ItemOID``, ``ClinicalData/@MetaDataVersionOID``, ``UserRef``...)
points at a definition; :func:`check_oid_references` does.

Scopes (ODM 1.3.2 §2.11 "Element Identifiers and References"): StudyEventDef, FormDef,
ItemGroupDef, ItemDef, CodeList, MethodDef and ConditionDef are looked up in the enclosing
MetaDataVersion (for clinical data: the one ClinicalData names); MeasurementUnit in the
enclosing or named Study; User, Location and SignatureDef anywhere in the file.

Not followed: ``Include`` of another metadata version (ramunet writes self-contained
versions) and PriorFileOID links. §2.11 lets a reference resolve in a prior file of a linked
series, so check such a series as one document or expect those references to be reported.

References
----------
CDISC, "Specification for the Operational Data Model (ODM) Version 1.3.2 Final", 2013-12-01,
§2.11 and the README of shared/standards (the schema does not enforce references).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

ODM_NS: Final = "http://www.cdisc.org/ns/odm/v1.3"
SCHEMA_FILE: Final = Path("odm-1.3.2") / "ODM1-3-2.xsd"
STANDARDS_ENV: Final = "RAMUNET_STANDARDS_DIR"

# (element, attribute) -> the definition element it names
REFERENCES: Final[dict[tuple[str, str], str]] = {
    ("StudyEventRef", "StudyEventOID"): "StudyEventDef",
    ("FormRef", "FormOID"): "FormDef",
    ("ItemGroupRef", "ItemGroupOID"): "ItemGroupDef",
    ("ItemRef", "ItemOID"): "ItemDef",
    ("ItemRef", "MethodOID"): "MethodDef",
    ("ItemRef", "RoleCodeListOID"): "CodeList",
    ("StudyEventRef", "CollectionExceptionConditionOID"): "ConditionDef",
    ("FormRef", "CollectionExceptionConditionOID"): "ConditionDef",
    ("ItemGroupRef", "CollectionExceptionConditionOID"): "ConditionDef",
    ("ItemRef", "CollectionExceptionConditionOID"): "ConditionDef",
    ("CodeListRef", "CodeListOID"): "CodeList",
    ("MeasurementUnitRef", "MeasurementUnitOID"): "MeasurementUnit",
    ("ClinicalData", "StudyOID"): "Study",
    ("ClinicalData", "MetaDataVersionOID"): "MetaDataVersion",
    ("AdminData", "StudyOID"): "Study",
    ("MetaDataVersionRef", "StudyOID"): "Study",
    ("MetaDataVersionRef", "MetaDataVersionOID"): "MetaDataVersion",
    ("StudyEventData", "StudyEventOID"): "StudyEventDef",
    ("FormData", "FormOID"): "FormDef",
    ("ItemGroupData", "ItemGroupOID"): "ItemGroupDef",
    ("ItemData", "ItemOID"): "ItemDef",
    ("UserRef", "UserOID"): "User",
    ("InvestigatorRef", "UserOID"): "User",
    ("LocationRef", "LocationOID"): "Location",
    ("SiteRef", "LocationOID"): "Location",
    ("SignatureRef", "SignatureOID"): "SignatureDef",
}
_VERSION_KINDS: Final = frozenset(
    {"StudyEventDef", "FormDef", "ItemGroupDef", "ItemDef", "CodeList", "MethodDef", "ConditionDef"}
)
_FILE_KINDS: Final = frozenset({"User", "Location", "SignatureDef"})
# the attribute that identifies an element in a readable path
_KEYS: Final = (
    "OID",
    "SubjectKey",
    "StudyEventOID",
    "FormOID",
    "ItemGroupOID",
    "ItemOID",
    "StudyOID",
)


@dataclass(frozen=True)
class DanglingReference:
    """An OID reference that points at no definition."""

    path: str
    attribute: str
    oid: str
    expected: str

    def __str__(self) -> str:
        return f"{self.path}/@{self.attribute}={self.oid!r}: no {self.expected} with that OID"


def _local(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


def readable_path(element: etree._Element) -> str:
    """``/ODM/Study[@OID='S']/MetaDataVersion[@OID='V']/ItemGroupDef[@OID='IG']/ItemRef``."""
    steps = []
    for node in [*reversed(list(element.iterancestors())), element]:
        name = _local(node)
        key = next((k for k in _KEYS if node.get(k) is not None and k != "StudyOID"), None)
        if node is not element and key is not None:
            name += f"[@{key}={node.get(key)!r}]"
        steps.append(name)
    return "/" + "/".join(steps)


@dataclass
class _Index:
    studies: dict[str, dict[str, set[str]]]  # study OID -> kind -> OIDs ("MetaDataVersion" too)
    versions: dict[tuple[str, str], dict[str, set[str]]]  # (study, MDV) -> kind -> OIDs
    file: dict[str, set[str]]


def _index(root: etree._Element) -> _Index:
    index = _Index({}, {}, {kind: set() for kind in _FILE_KINDS})
    for study in root.iterchildren(f"{{{ODM_NS}}}Study"):
        study_oid = study.get("OID", "")
        kinds = index.studies.setdefault(
            study_oid, {"MeasurementUnit": set(), "MetaDataVersion": set()}
        )
        for unit in study.iter(f"{{{ODM_NS}}}MeasurementUnit"):
            kinds["MeasurementUnit"].add(unit.get("OID", ""))
        for version in study.iterchildren(f"{{{ODM_NS}}}MetaDataVersion"):
            version_oid = version.get("OID", "")
            kinds["MetaDataVersion"].add(version_oid)
            defs: dict[str, set[str]] = {kind: set() for kind in _VERSION_KINDS}
            for child in version:
                if isinstance(child.tag, str) and _local(child) in _VERSION_KINDS:
                    oid = child.get("OID")
                    if oid is not None:
                        defs[_local(child)].add(oid)
            index.versions[(study_oid, version_oid)] = defs
    for kind in _FILE_KINDS:
        index.file[kind] = {
            e.get("OID", "") for e in root.iter(f"{{{ODM_NS}}}{kind}") if e.get("OID")
        }
    return index


def _scope(element: etree._Element) -> tuple[str | None, str | None]:
    """The (study OID, metadata version OID) an element's references resolve in."""
    for ancestor in element.iterancestors():
        name = _local(ancestor)
        if name == "MetaDataVersion":
            study = ancestor.getparent()
            return (study.get("OID") if study is not None else None, ancestor.get("OID"))
        if name in ("ClinicalData", "ReferenceData"):
            return (ancestor.get("StudyOID"), ancestor.get("MetaDataVersionOID"))
        if name == "Study":
            return (ancestor.get("OID"), None)
    return (None, None)


def _references(root: etree._Element) -> Iterator[tuple[etree._Element, str, str, str]]:
    for element in root.iter(f"{{{ODM_NS}}}*"):
        name = _local(element)
        for (tag, attribute), kind in REFERENCES.items():
            if tag == name:
                oid = element.get(attribute)
                if oid is not None:
                    yield element, attribute, oid, kind


def check_oid_references(tree: etree._ElementTree | etree._Element) -> list[DanglingReference]:
    """Every OID reference that points at no definition, in document order.

    Parameters
    ----------
    tree
        A parsed ODM document (tree or root element).

    Returns
    -------
    list of DanglingReference
        Empty when every reference resolves.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    index = _index(root)
    dangling = []
    for element, attribute, oid, kind in _references(root):
        if kind == "Study":
            found = oid in index.studies
        elif kind in _FILE_KINDS:
            found = oid in index.file[kind]
        elif kind == "MetaDataVersion":
            study_oid = element.get("StudyOID")
            found = oid in index.studies.get(study_oid or "", {}).get("MetaDataVersion", set())
        elif kind == "MeasurementUnit":
            study_oid, _ = _scope(element)
            found = oid in index.studies.get(study_oid or "", {}).get("MeasurementUnit", set())
        else:
            study_oid, version_oid = _scope(element)
            defs = index.versions.get((study_oid or "", version_oid or ""))
            # an unresolved ClinicalData scope is reported once, on ClinicalData itself
            found = defs is None or oid in defs[kind]
        if not found:
            dangling.append(DanglingReference(readable_path(element), attribute, oid, kind))
    return dangling


def standards_dir(schema_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``odm-1.3.2/``: the argument, ``$RAMUNET_STANDARDS_DIR``, or
    ``../shared/standards`` beside the checkout."""
    if schema_dir is not None:
        return Path(schema_dir)
    if os.environ.get(STANDARDS_ENV):
        return Path(os.environ[STANDARDS_ENV])
    checkout = Path(__file__).resolve().parents[3]
    return checkout.parent / "shared" / "standards"


@lru_cache(maxsize=4)
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def odm_schema_path(schema_dir: str | os.PathLike[str] | None = None) -> Path:
    """The path of ``ODM1-3-2.xsd``; ``schema_dir`` may be the standards folder or
    ``odm-1.3.2/`` itself. Raises FileNotFoundError naming where it looked."""
    base = standards_dir(schema_dir)
    for candidate in (base / SCHEMA_FILE, base / SCHEMA_FILE.name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"ODM 1.3.2 schema not found under {base}; set {STANDARDS_ENV} to the folder holding "
        f"{SCHEMA_FILE}"
    )


def validate_odm(
    document: etree._ElementTree | etree._Element | bytes,
    schema_dir: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Validate against the official ODM 1.3.2 schema; the errors, empty when valid.

    Each error reads ``line N: message`` as libxml2 reports it.
    """
    schema = _schema(odm_schema_path(schema_dir))
    if isinstance(document, bytes):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        document = etree.fromstring(document, parser)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
