"""Typed model of a CDISC ODM 1.3.2 document: study metadata, admin data and clinical data.

Plain frozen dataclasses; :mod:`ramunet.exports.odm_write` turns them into XML and
:mod:`ramunet.exports.odm_read` reads them back. Enumerated attributes are checked when an
object is made (raising :class:`UnknownTerm`), so a model that exists can be written.
Element and attribute names follow the specification; OIDs are plain strings whose
cross-references :func:`ramunet.exports.odm_check.check_oid_references` verifies.

References
----------
CDISC, "Specification for the Operational Data Model (ODM) Version 1.3.2 Final", 2013-12-01:
§3.1 ODM, §3.1.1 Study, §3.1.2 AdminData, §3.1.4 ClinicalData, §2.9 Transactions,
§2.13 Data Formats.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal

from ramunet.clinical.errors import InvalidInput, UnknownTerm

ItemDataType = Literal[
    "text", "integer", "float", "date", "time", "datetime", "string", "boolean", "double",
    "hexBinary", "base64Binary", "hexFloat", "base64Float", "partialDate", "partialTime",
    "partialDatetime", "durationDatetime", "intervalDatetime", "incompleteDatetime",
    "incompleteDate", "incompleteTime", "URI",
]  # fmt: skip
CodeListDataType = Literal["integer", "float", "text", "string"]
EventType = Literal["Scheduled", "Unscheduled", "Common"]
TransactionType = Literal["Insert", "Update", "Remove", "Upsert", "Context"]
FileType = Literal["Snapshot", "Transactional"]
UserType = Literal["Sponsor", "Investigator", "Lab", "Other"]
LocationType = Literal["Sponsor", "Site", "CRO", "Lab", "Other"]
SignMethod = Literal["Digital", "Electronic"]

ITEM_DATA_TYPES: Final = ItemDataType.__args__  # type: ignore[attr-defined]
CODE_LIST_DATA_TYPES: Final = ("integer", "float", "text", "string")
EVENT_TYPES: Final = ("Scheduled", "Unscheduled", "Common")
TRANSACTION_TYPES: Final = ("Insert", "Update", "Remove", "Upsert", "Context")
FILE_TYPES: Final = ("Snapshot", "Transactional")
USER_TYPES: Final = ("Sponsor", "Investigator", "Lab", "Other")
LOCATION_TYPES: Final = ("Sponsor", "Site", "CRO", "Lab", "Other")
SIGN_METHODS: Final = ("Digital", "Electronic")


def one_of(field_name: str, value: str | None, allowed: Iterable[str]) -> None:
    """Raise :class:`UnknownTerm` unless ``value`` is ``None`` or in ``allowed``."""
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        raise UnknownTerm(field_name, value, allowed)


def aware(field_name: str, moment: datetime) -> None:
    """Raise unless ``moment`` carries a time zone (ODM timestamps are instants)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(field_name, "needs a time zone (e.g. datetime.UTC)", moment.isoformat())


@dataclass(frozen=True)
class TranslatedText:
    """A text in one language (``xml:lang``; ``None`` leaves the language unstated)."""

    text: str
    lang: str | None = "en"


Texts = tuple[TranslatedText, ...]


# --- metadata (ODM §3.1.1) -------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurementUnit:
    """A unit in BasicDefinitions, e.g. ``MeasurementUnit("MU.UMOLL", "umol/L", ...)``."""

    oid: str
    name: str
    symbol: Texts


@dataclass(frozen=True)
class CodeListItem:
    """One coded value and its decode."""

    coded_value: str
    decode: Texts
    order_number: int | None = None


@dataclass(frozen=True)
class CodeList:
    """A code list (CodeListItem form)."""

    oid: str
    name: str
    data_type: CodeListDataType
    items: tuple[CodeListItem, ...]
    sas_format_name: str | None = None

    def __post_init__(self) -> None:
        one_of(f"CodeList {self.oid} DataType", self.data_type, CODE_LIST_DATA_TYPES)


@dataclass(frozen=True)
class ItemDef:
    """An item (question / variable): data type, length, units, code list."""

    oid: str
    name: str
    data_type: ItemDataType
    length: int | None = None
    significant_digits: int | None = None
    question: Texts = ()
    measurement_unit_oids: tuple[str, ...] = ()
    code_list_oid: str | None = None
    sas_field_name: str | None = None
    sds_var_name: str | None = None
    origin: str | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        one_of(f"ItemDef {self.oid} DataType", self.data_type, ITEM_DATA_TYPES)
        if self.length is not None and self.length < 1:
            raise InvalidInput(f"ItemDef {self.oid} Length", "must be >= 1", self.length)
        if self.significant_digits is not None and self.significant_digits < 0:
            raise InvalidInput(
                f"ItemDef {self.oid} SignificantDigits", "must be >= 0", self.significant_digits
            )


@dataclass(frozen=True)
class ItemRef:
    """An item's place in an item group."""

    item_oid: str
    mandatory: bool
    order_number: int | None = None
    key_sequence: int | None = None


@dataclass(frozen=True)
class ItemGroupDef:
    """An item group (one SDTM-like record type)."""

    oid: str
    name: str
    repeating: bool
    item_refs: tuple[ItemRef, ...]
    domain: str | None = None
    sas_dataset_name: str | None = None
    origin: str | None = None
    purpose: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Ref:
    """A mandatory/ordered reference: StudyEventRef, FormRef or ItemGroupRef by position."""

    oid: str
    mandatory: bool
    order_number: int | None = None


@dataclass(frozen=True)
class FormDef:
    """A case report form: its item groups in order."""

    oid: str
    name: str
    repeating: bool
    item_group_refs: tuple[Ref, ...]


@dataclass(frozen=True)
class EventDef:
    """A study event (visit) definition: its forms in order."""

    oid: str
    name: str
    repeating: bool
    type: EventType
    form_refs: tuple[Ref, ...]
    category: str | None = None

    def __post_init__(self) -> None:
        one_of(f"StudyEventDef {self.oid} Type", self.type, EVENT_TYPES)


@dataclass(frozen=True)
class StudyMeta:
    """Study, GlobalVariables, BasicDefinitions and one MetaDataVersion.

    ``protocol`` lists the StudyEventRefs of the Protocol element.
    """

    oid: str
    name: str
    description: str
    protocol_name: str
    mdv_oid: str
    mdv_name: str
    protocol: tuple[Ref, ...]
    events: tuple[EventDef, ...] = ()
    forms: tuple[FormDef, ...] = ()
    item_groups: tuple[ItemGroupDef, ...] = ()
    items: tuple[ItemDef, ...] = ()
    code_lists: tuple[CodeList, ...] = ()
    units: tuple[MeasurementUnit, ...] = ()
    mdv_description: str | None = None


# --- admin data (ODM §3.1.2) -----------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """A person who enters, changes or signs data."""

    oid: str
    user_type: UserType | None = None
    login_name: str | None = None
    display_name: str | None = None
    full_name: str | None = None
    organization: str | None = None
    emails: tuple[str, ...] = ()
    location_oids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        one_of(f"User {self.oid} UserType", self.user_type, USER_TYPES)


@dataclass(frozen=True)
class MetaDataVersionRef:
    """Which metadata version a location uses from which date."""

    study_oid: str
    mdv_oid: str
    effective_date: date


@dataclass(frozen=True)
class Location:
    """A site, sponsor, lab or CRO; ODM requires at least one MetaDataVersionRef."""

    oid: str
    name: str
    mdv_refs: tuple[MetaDataVersionRef, ...]
    location_type: LocationType | None = None

    def __post_init__(self) -> None:
        one_of(f"Location {self.oid} LocationType", self.location_type, LOCATION_TYPES)
        if not self.mdv_refs:
            raise InvalidInput(
                f"Location {self.oid} MetaDataVersionRef", "at least one is required"
            )


@dataclass(frozen=True)
class SignatureDef:
    """The meaning and legal reason of a kind of signature (21 CFR Part 11)."""

    oid: str
    meaning: str
    legal_reason: str
    methodology: SignMethod | None = None

    def __post_init__(self) -> None:
        one_of(f"SignatureDef {self.oid} Methodology", self.methodology, SIGN_METHODS)


@dataclass(frozen=True)
class AdminData:
    """Users, locations and signature definitions that audit records and signatures name."""

    users: tuple[User, ...] = ()
    locations: tuple[Location, ...] = ()
    signature_defs: tuple[SignatureDef, ...] = ()
    study_oid: str | None = None


# --- clinical data (ODM §3.1.4) --------------------------------------------------------------


@dataclass(frozen=True)
class AuditRecord:
    """Who changed the data, where, when and why."""

    user_oid: str
    location_oid: str
    date_time_stamp: datetime
    reason_for_change: str | None = None
    source_id: str | None = None

    def __post_init__(self) -> None:
        aware("AuditRecord DateTimeStamp", self.date_time_stamp)


@dataclass(frozen=True)
class Signature:
    """An electronic signature applied to the enclosing data."""

    user_oid: str
    location_oid: str
    signature_oid: str
    date_time_stamp: datetime

    def __post_init__(self) -> None:
        aware("Signature DateTimeStamp", self.date_time_stamp)


@dataclass(frozen=True)
class _Data:
    transaction_type: TransactionType | None = field(default=None, kw_only=True)
    audit: AuditRecord | None = field(default=None, kw_only=True)
    signature: Signature | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        one_of(f"{type(self).__name__} TransactionType", self.transaction_type, TRANSACTION_TYPES)


@dataclass(frozen=True)
class ItemData(_Data):
    """One value (``None`` with ``is_null=True`` for an explicit null, ODM IsNull="Yes")."""

    item_oid: str
    value: str | None
    is_null: bool = False
    measurement_unit_oid: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.is_null and self.value is not None:
            raise InvalidInput(f"ItemData {self.item_oid}", "IsNull needs no Value", self.value)


@dataclass(frozen=True)
class ItemGroupData(_Data):
    """The values of one item group occurrence."""

    item_group_oid: str
    items: tuple[ItemData, ...]
    repeat_key: str | None = None


@dataclass(frozen=True)
class FormData(_Data):
    """One form occurrence."""

    form_oid: str
    item_groups: tuple[ItemGroupData, ...]
    repeat_key: str | None = None


@dataclass(frozen=True)
class StudyEventData(_Data):
    """One study event (visit) occurrence."""

    study_event_oid: str
    forms: tuple[FormData, ...]
    repeat_key: str | None = None


@dataclass(frozen=True)
class SubjectData(_Data):
    """One subject's data; ``site_oid`` becomes a SiteRef to a Location."""

    subject_key: str
    events: tuple[StudyEventData, ...]
    site_oid: str | None = None


@dataclass(frozen=True)
class ClinicalDataModel:
    """The ClinicalData of one study and metadata version, plus the AdminData it refers to."""

    study_oid: str
    mdv_oid: str
    subjects: tuple[SubjectData, ...]
    admin: AdminData | None = None
