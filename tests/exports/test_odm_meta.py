"""ODM metadata from an eCRF description: schema-valid, every OID defined, missing-code items."""

from __future__ import annotations

from datetime import UTC, datetime

from ramunet.exports.catalogue import FieldSpec, FormSpec
from ramunet.exports.odm import build_odm, check_oid_references, validate_odm
from ramunet.exports.odm_meta import build_study_meta

FORMS = (
    FormSpec("HAEM", "haematology", False, (
        FieldSpec("form_date", "form date", "date", required=True),
        FieldSpec("anc", "ANC", "decimal", digits=12, decimals=4, unit="10^9/L"),
        FieldSpec("derived", "derived", "json", derived=True),
    )),
    FormSpec("AE", "adverse event", True, (
        FieldSpec("outcome", "outcome", "text", max_length=14, choices=(("fatal", "fatal"),)),
    )),
)  # fmt: skip
LESION = FormSpec("AE.PART", "part", True, (FieldSpec("label", "label", "text", max_length=8),))


def _tree():
    meta = build_study_meta(FORMS, {"AE": (LESION,)})
    return meta, build_odm(meta, file_oid="T", created=datetime(2026, 11, 24, tzinfo=UTC))


def test_metadata_is_valid_against_the_schema():
    _, tree = _tree()
    assert validate_odm(tree) == []
    assert check_oid_references(tree) == []


def test_entered_field_has_a_missing_code_item_and_derived_field_has_none():
    meta, _ = _tree()
    oids = {item.oid for item in meta.items}
    assert {"IT.HAEM.ANC", "IT.HAEM.ANC.MISSING", "IT.HAEM.DERIVED"} <= oids
    assert "IT.HAEM.DERIVED.MISSING" not in oids


def test_decimal_becomes_float_with_digits_and_unit():
    meta, _ = _tree()
    anc = next(item for item in meta.items if item.oid == "IT.HAEM.ANC")
    assert (anc.data_type, anc.length, anc.significant_digits) == ("float", 12, 4)
    assert [u.name for u in meta.units if u.oid in anc.measurement_unit_oids] == ["10^9/L"]


def test_part_becomes_a_repeating_item_group_of_its_form():
    meta, _ = _tree()
    form = next(f for f in meta.forms if f.oid == "F.AE")
    assert [ref.oid for ref in form.item_group_refs] == ["IG.AE", "IG.AE.PART"]
    part = next(g for g in meta.item_groups if g.oid == "IG.AE.PART")
    assert part.repeating is True
