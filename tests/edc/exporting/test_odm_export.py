"""The ODM export: valid against the official schema, every OID defined, our data in it."""

from __future__ import annotations

import io

from lxml import etree

from ramunet.edc.exporting.odm_export import write_odm
from ramunet.exports.odm import check_oid_references, read_odm, validate_odm

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}


def _odm(audit: bool = False) -> bytes:
    out = io.BytesIO()
    write_odm(out, audit=audit)
    return out.getvalue()


def test_export_is_valid_against_the_odm_132_schema(trial, workflow):
    tree = etree.fromstring(_odm(audit=True))
    assert validate_odm(tree) == []


def test_every_oid_reference_points_at_a_definition(trial, workflow):
    tree = etree.fromstring(_odm(audit=True))
    assert check_oid_references(tree) == []


def test_subjects_are_keyed_by_pseudonymous_id_at_their_site(trial):
    tree = etree.fromstring(_odm())
    subjects = tree.findall(".//odm:SubjectData", NS)
    assert [s.get("SubjectKey") for s in subjects] == ["HAL-001", "HAL-002", "MAR-001"]
    assert subjects[2].find("odm:SiteRef", NS).get("LocationOID") == "LOC.MAR"


def test_missing_code_is_its_own_item_beside_the_empty_field(trial):
    tree = etree.fromstring(_odm())
    group = tree.find(".//odm:ItemGroupData[@ItemGroupOID='IG.HAEM']", NS)
    values = {item.get("ItemOID"): item.get("Value") for item in group}
    assert values["IT.HAEM.WBC.MISSING"] == "ND"
    assert "IT.HAEM.WBC" not in values
    assert values["IT.HAEM.ANC"] == "2.5000"


def test_metadata_gives_units_and_code_lists_from_the_models(trial):
    meta, _ = read_odm(_odm())
    anc = next(item for item in meta.items if item.oid == "IT.HAEM.ANC")
    units = {unit.oid: unit.name for unit in meta.units}
    assert anc.data_type == "float"
    assert [units[oid] for oid in anc.measurement_unit_oids] == ["10^9/L"]
    outcome = next(c for c in meta.code_lists if c.oid == "CL.AE.OUTCOME")
    assert [item.coded_value for item in outcome.items][:2] == ["recovered", "recovering"]


def test_audit_records_and_signatures_only_when_asked(trial, workflow):
    plain = etree.fromstring(_odm())
    assert plain.findall(".//odm:AuditRecord", NS) == []
    tree = etree.fromstring(_odm(audit=True))
    haem = tree.find(".//odm:FormData[@FormOID='F.HAEM']", NS)
    record = haem.find("odm:AuditRecord", NS)
    assert record.find("odm:UserRef", NS).get("UserOID") == "USR.system"
    subject = tree.find(".//odm:SubjectData[@SubjectKey='HAL-001']", NS)
    signature = subject.find("odm:Signature", NS)
    assert signature.find("odm:UserRef", NS).get("UserOID") == "USR.investigator.hal"
    assert signature.find("odm:SignatureRef", NS).get("SignatureOID") == "SD.CASEBOOK"
