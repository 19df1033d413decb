"""ODM 1.3.2 export: schema validation, OID references and write -> read round trip.

Schema: CDISC ODM 1.3.2 Final (2013-12-01), ODM1-3-2.xsd, kept at shared/standards/odm-1.3.2.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.exports.odm_check import check_oid_references, standards_dir, validate_odm
from ramunet.exports.odm_model import (
    AuditRecord,
    CodeList,
    EventDef,
    ItemData,
    ItemDef,
    Location,
)
from ramunet.exports.odm_read import read_odm
from ramunet.exports.odm_write import build_odm, odm_bytes
from tests.exports.odm_sample import CREATED, clinical_data, study_meta

STANDARDS = standards_dir()
needs_schema = pytest.mark.skipif(
    not (STANDARDS / "odm-1.3.2" / "ODM1-3-2.xsd").is_file(),
    reason=f"ODM 1.3.2 schema folder absent at {STANDARDS}/odm-1.3.2 (set RAMUNET_STANDARDS_DIR)",
)
needs_samples = pytest.mark.skipif(
    not (STANDARDS / "samples").is_dir(), reason=f"sample folder absent at {STANDARDS}/samples"
)


def rich_document(**options):
    return build_odm(
        study_meta(), clinical_data(), file_oid="RAMUNET.ODM.1", created=CREATED, **options
    )


def dangling_of(xml: bytes) -> list[str]:
    return [str(reference) for reference in check_oid_references(etree.fromstring(xml))]


@needs_schema
@needs_samples
def test_minimal_sample_validates():
    assert validate_odm((STANDARDS / "samples" / "odm132-minimal-valid.xml").read_bytes()) == []


@needs_samples
def test_minimal_sample_has_no_dangling_references():
    assert dangling_of((STANDARDS / "samples" / "odm132-minimal-valid.xml").read_bytes()) == []


@needs_schema
@needs_samples
def test_broken_sample_fails_the_schema_on_the_missing_oid():
    errors = validate_odm((STANDARDS / "samples" / "odm132-broken-missing-oid.xml").read_bytes())
    assert errors == [
        "line 28: Element '{http://www.cdisc.org/ns/odm/v1.3}ItemDef': The attribute 'OID' is "
        "required but missing."
    ]


@needs_samples
def test_broken_sample_has_dangling_item_references():
    xml = (STANDARDS / "samples" / "odm132-broken-missing-oid.xml").read_bytes()
    assert dangling_of(xml) == [
        "/ODM/Study[@OID='ST.DEMO']/MetaDataVersion[@OID='MDV.1']/ItemGroupDef[@OID='IG.DM']"
        "/ItemRef/@ItemOID='IT.DM.AGE': no ItemDef with that OID",
        "/ODM/ClinicalData/SubjectData[@SubjectKey='001']/StudyEventData[@StudyEventOID="
        "'SE.SCREENING']/FormData[@FormOID='F.DM']/ItemGroupData[@ItemGroupOID='IG.DM']"
        "/ItemData/@ItemOID='IT.DM.AGE': no ItemDef with that OID",
    ]


@needs_schema
def test_rich_document_validates():
    assert validate_odm(rich_document()) == []


@needs_schema
def test_rich_document_validates_as_bytes():
    assert validate_odm(odm_bytes(rich_document())) == []


@needs_schema
def test_transactional_document_validates():
    clinical = clinical_data()
    subjects = tuple(dataclasses.replace(s, transaction_type="Insert") for s in clinical.subjects)
    tree = build_odm(
        study_meta(),
        dataclasses.replace(clinical, subjects=subjects),
        file_oid="RAMUNET.ODM.2",
        created=CREATED,
        file_type="Transactional",
    )
    assert validate_odm(tree) == []


@needs_schema
def test_metadata_only_document_validates():
    tree = build_odm(study_meta(), file_oid="RAMUNET.META", created=CREATED)
    assert validate_odm(tree) == []


def test_rich_document_has_no_dangling_references():
    assert check_oid_references(rich_document()) == []


def test_root_carries_file_attributes():
    root = rich_document(originator="ramunet", source_system="ramunet").getroot()
    assert dict(root.attrib) == {
        "FileType": "Snapshot",
        "FileOID": "RAMUNET.ODM.1",
        "CreationDateTime": "2026-11-24T17:05:09+00:00",
        "ODMVersion": "1.3.2",
        "Originator": "ramunet",
        "SourceSystem": "ramunet",
    }


def test_write_then_read_gives_the_same_model():
    meta, clinical = read_odm(odm_bytes(rich_document()))
    assert (meta, clinical) == (study_meta(), clinical_data())


def test_write_read_write_gives_identical_bytes():
    written = odm_bytes(rich_document())
    meta, clinical = read_odm(written)
    again = build_odm(meta, clinical, file_oid="RAMUNET.ODM.1", created=CREATED)
    assert odm_bytes(again) == written


def test_metadata_only_file_reads_with_no_subjects():
    _, clinical = read_odm(odm_bytes(build_odm(study_meta(), file_oid="M", created=CREATED)))
    assert (clinical.study_oid, clinical.mdv_oid, clinical.subjects, clinical.admin) == (
        "ST.RAMUNET",
        "MDV.1",
        (),
        None,
    )


def replace_attribute(xml: bytes, old: str, new: str) -> bytes:
    assert xml.count(old.encode()) >= 1
    return xml.replace(old.encode(), new.encode(), 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'CodeListRef CodeListOID="CL.SEX"',
            'CodeListRef CodeListOID="CL.GONE"',
            "/ODM/Study[@OID='ST.RAMUNET']/MetaDataVersion[@OID='MDV.1']/ItemDef[@OID='IT.SEX']"
            "/CodeListRef/@CodeListOID='CL.GONE': no CodeList with that OID",
        ),
        (
            'MeasurementUnitRef MeasurementUnitOID="MU.MGDL"',
            'MeasurementUnitRef MeasurementUnitOID="MU.GONE"',
            "/ODM/Study[@OID='ST.RAMUNET']/MetaDataVersion[@OID='MDV.1']/ItemDef[@OID='IT.CREAT']"
            "/MeasurementUnitRef/@MeasurementUnitOID='MU.GONE': no MeasurementUnit with that OID",
        ),
        (
            'StudyEventRef StudyEventOID="SE.CYCLE"',
            'StudyEventRef StudyEventOID="SE.GONE"',
            "/ODM/Study[@OID='ST.RAMUNET']/MetaDataVersion[@OID='MDV.1']/Protocol/StudyEventRef"
            "/@StudyEventOID='SE.GONE': no StudyEventDef with that OID",
        ),
        (
            'FormRef FormOID="F.AE"',
            'FormRef FormOID="F.GONE"',
            "/ODM/Study[@OID='ST.RAMUNET']/MetaDataVersion[@OID='MDV.1']/StudyEventDef"
            "[@OID='SE.CYCLE']/FormRef/@FormOID='F.GONE': no FormDef with that OID",
        ),
        (
            'ItemGroupRef ItemGroupOID="IG.LB"',
            'ItemGroupRef ItemGroupOID="IG.GONE"',
            "/ODM/Study[@OID='ST.RAMUNET']/MetaDataVersion[@OID='MDV.1']/FormDef[@OID='F.LB']"
            "/ItemGroupRef/@ItemGroupOID='IG.GONE': no ItemGroupDef with that OID",
        ),
        (
            'ClinicalData StudyOID="ST.RAMUNET" MetaDataVersionOID="MDV.1"',
            'ClinicalData StudyOID="ST.RAMUNET" MetaDataVersionOID="MDV.9"',
            "/ODM/ClinicalData/@MetaDataVersionOID='MDV.9': no MetaDataVersion with that OID",
        ),
        (
            'SignatureRef SignatureOID="SD.PI"',
            'SignatureRef SignatureOID="SD.GONE"',
            "/ODM/ClinicalData/SubjectData[@SubjectKey='HAL-001']/StudyEventData"
            "[@StudyEventOID='SE.SCREEN']/FormData[@FormOID='F.DM']/Signature/SignatureRef"
            "/@SignatureOID='SD.GONE': no SignatureDef with that OID",
        ),
        (
            'SiteRef LocationOID="LOC.HAL"',
            'SiteRef LocationOID="LOC.GONE"',
            "/ODM/ClinicalData/SubjectData[@SubjectKey='HAL-001']/SiteRef/@LocationOID="
            "'LOC.GONE': no Location with that OID",
        ),
        (
            'UserRef UserOID="USR.INV1"',
            'UserRef UserOID="USR.GONE"',
            "/ODM/ClinicalData/SubjectData[@SubjectKey='HAL-001']/AuditRecord/UserRef/@UserOID="
            "'USR.GONE': no User with that OID",
        ),
        (
            'FormData FormOID="F.LB"',
            'FormData FormOID="F.GONE"',
            "/ODM/ClinicalData/SubjectData[@SubjectKey='HAL-001']/StudyEventData"
            "[@StudyEventOID='SE.CYCLE']/FormData/@FormOID='F.GONE': no FormDef with that OID",
        ),
    ],
)
def test_dangling_reference_is_reported_with_its_path(old, new, expected):
    xml = replace_attribute(odm_bytes(rich_document()), old, new)
    assert dangling_of(xml) == [expected]


def test_user_location_ref_to_unknown_location_is_reported():
    xml = replace_attribute(
        odm_bytes(rich_document()),
        '<LocationRef LocationOID="LOC.HAL"/>\n    </User>',
        '<LocationRef LocationOID="LOC.X"/>\n    </User>',
    )
    assert dangling_of(xml) == [
        "/ODM/AdminData/User[@OID='USR.INV1']/LocationRef/@LocationOID='LOC.X': no Location "
        "with that OID"
    ]


def test_data_resolves_in_the_metadata_version_clinical_data_names():
    # A second, empty metadata version: data naming it finds none of MDV.1's definitions.
    xml = odm_bytes(rich_document())
    xml = xml.replace(
        b"</MetaDataVersion>", b'</MetaDataVersion><MetaDataVersion OID="MDV.2" Name="v2"/>'
    )
    xml = xml.replace(b'MetaDataVersionOID="MDV.1">', b'MetaDataVersionOID="MDV.2">')
    dangling = check_oid_references(etree.fromstring(xml))
    assert [(d.attribute, d.oid) for d in dangling][:4] == [
        ("StudyEventOID", "SE.SCREEN"),
        ("FormOID", "F.DM"),
        ("ItemGroupOID", "IG.DM"),
        ("ItemOID", "IT.AGE"),
    ]
    # 2 events, 3 forms, 3 groups, 5 items; the unit resolves: units belong to the Study
    assert len(dangling) == 13


def test_writer_refuses_dangling_references():
    meta = study_meta()
    item = dataclasses.replace(meta.items[1], code_list_oid="CL.GONE")
    broken = dataclasses.replace(meta, items=(meta.items[0], item, *meta.items[2:]))
    with pytest.raises(InvalidInput) as caught:
        build_odm(broken, clinical_data(), file_oid="F", created=CREATED)
    assert str(caught.value) == (
        "ODM OID references: 1 point at no definition: /ODM/Study[@OID='ST.RAMUNET']"
        "/MetaDataVersion[@OID='MDV.1']/ItemDef[@OID='IT.SEX']/CodeListRef/@CodeListOID="
        "'CL.GONE': no CodeList with that OID"
    )


def test_naive_creation_time_is_refused():
    with pytest.raises(InvalidInput) as caught:
        build_odm(study_meta(), file_oid="F", created=datetime(2026, 1, 1))  # noqa: DTZ001
    assert str(caught.value) == (
        "ODM CreationDateTime '2026-01-01T00:00:00': needs a time zone (e.g. datetime.UTC)"
    )


def test_naive_audit_timestamp_is_refused():
    with pytest.raises(InvalidInput) as caught:
        AuditRecord("U", "L", datetime(2026, 1, 1, 8, 0))  # noqa: DTZ001
    assert str(caught.value) == (
        "AuditRecord DateTimeStamp '2026-01-01T08:00:00': needs a time zone (e.g. datetime.UTC)"
    )


def test_unknown_file_type_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        build_odm(study_meta(), file_oid="F", created=CREATED, file_type="Full")  # type: ignore[arg-type]
    assert (
        str(caught.value) == "ODM FileType 'Full': not recognised; expected Snapshot, Transactional"
    )


def test_unknown_item_data_type_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        ItemDef("IT.X", "X", "number")  # type: ignore[arg-type]
    assert str(caught.value).startswith(
        "ItemDef IT.X DataType 'number': not recognised; expected text, integer, float"
    )


def test_unknown_code_list_data_type_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        CodeList("CL.X", "X", "date", ())  # type: ignore[arg-type]
    assert str(caught.value) == (
        "CodeList CL.X DataType 'date': not recognised; expected integer, float, text, string"
    )


def test_unknown_event_type_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        EventDef("SE.X", "X", False, "Planned", ())  # type: ignore[arg-type]
    assert str(caught.value) == (
        "StudyEventDef SE.X Type 'Planned': not recognised; expected Scheduled, Unscheduled, Common"
    )


def test_unknown_transaction_type_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        ItemData("IT.X", "1", transaction_type="Delete")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "ItemData TransactionType 'Delete': not recognised; expected Insert, Update, Remove, "
        "Upsert, Context"
    )


def test_null_item_with_a_value_is_refused():
    with pytest.raises(InvalidInput) as caught:
        ItemData("IT.X", "1", is_null=True)
    assert str(caught.value) == "ItemData IT.X '1': IsNull needs no Value"


def test_location_without_metadata_version_is_refused():
    with pytest.raises(InvalidInput) as caught:
        Location("LOC.X", "X", ())
    assert str(caught.value) == "Location LOC.X MetaDataVersionRef: at least one is required"


def test_reader_refuses_a_non_odm_root():
    with pytest.raises(InvalidInput) as caught:
        read_odm(b"<define/>")
    assert str(caught.value) == (
        "ODM document 'define': root element must be ODM in http://www.cdisc.org/ns/odm/v1.3"
    )


def test_reader_refuses_malformed_xml():
    with pytest.raises(InvalidInput) as caught:
        read_odm(b"<ODM")
    assert str(caught.value).startswith("ODM document: not well-formed XML:")


def test_reader_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = (
        odm_bytes(rich_document())
        .replace(
            b"<ODM ", f'<!DOCTYPE ODM [<!ENTITY x SYSTEM "file://{secret}">]>\n<ODM '.encode(), 1
        )
        .replace(b"<StudyName>RamuNET", b"<StudyName>&x;RamuNET", 1)
    )
    meta, _ = read_odm(xml)
    assert "TOPSECRET" not in meta.name


@needs_schema
def test_schema_is_found_through_the_environment_variable(monkeypatch):
    monkeypatch.setenv("RAMUNET_STANDARDS_DIR", str(STANDARDS))
    assert validate_odm(rich_document()) == []


def test_missing_schema_folder_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        validate_odm(b"<ODM/>", schema_dir=tmp_path)
    assert str(caught.value) == (
        f"ODM 1.3.2 schema not found under {tmp_path}; set RAMUNET_STANDARDS_DIR to the folder "
        "holding odm-1.3.2/ODM1-3-2.xsd"
    )


@needs_schema
def test_schema_errors_name_line_and_element():
    xml = odm_bytes(rich_document()).replace(b' DataType="float"', b' DataType="number"', 1)
    errors = validate_odm(xml)
    assert len(errors) == 1
    assert errors[0].startswith("line ")
    assert "'{http://www.cdisc.org/ns/odm/v1.3}ItemDef', attribute 'DataType'" in errors[0]


def test_default_standards_dir_is_beside_the_checkout(monkeypatch):
    monkeypatch.delenv("RAMUNET_STANDARDS_DIR", raising=False)
    checkout = Path(__file__).resolve().parents[2]
    assert standards_dir() == checkout.parent / "shared" / "standards"


def test_audit_record_takes_a_time_written_as_iso_text_with_its_offset_only():
    import datetime as dt

    from ramunet.clinical.errors import InvalidInput
    from ramunet.exports.odm_stream import audit_record

    stamp = dt.datetime(2026, 11, 25, 8, 0, 1, 250, tzinfo=dt.UTC)
    as_text = audit_record("USR.a", "LOC.HAL", stamp.isoformat())
    assert as_text == audit_record("USR.a", "LOC.HAL", stamp)
    assert "<DateTimeStamp>2026-11-25T08:00:01.000250+00:00</DateTimeStamp>" in as_text
    with pytest.raises(InvalidInput, match="ISO 8601 with an offset"):
        audit_record("USR.a", "LOC.HAL", "2026-11-25 08:00:01")
