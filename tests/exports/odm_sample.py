"""A rich ODM model of RamuNET-like data: every element the writer supports, once at least."""

from __future__ import annotations

from datetime import UTC, date, datetime

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

CREATED = datetime(2026, 11, 24, 17, 5, 9, tzinfo=UTC)
ENTERED = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


def en(text: str) -> tuple[TranslatedText, ...]:
    return (TranslatedText(text, "en"),)


def study_meta() -> StudyMeta:
    return StudyMeta(
        oid="ST.RAMUNET",
        name="RamuNET",
        description="Ramucirumab + dacarbazine in pancreatic NET, phase II",
        protocol_name="RAMUNET",
        mdv_oid="MDV.1",
        mdv_name="Version 1",
        mdv_description="eCRF version 1.0",
        protocol=(Ref("SE.SCREEN", True, 1), Ref("SE.CYCLE", True, 2)),
        events=(
            EventDef("SE.SCREEN", "Screening", False, "Scheduled", (Ref("F.DM", True, 1),)),
            EventDef(
                "SE.CYCLE",
                "Treatment cycle",
                True,
                "Scheduled",
                (Ref("F.LB", True, 1), Ref("F.AE", False, 2)),
                category="Treatment",
            ),
        ),
        forms=(
            FormDef("F.DM", "Demographics", False, (Ref("IG.DM", True, 1),)),
            FormDef("F.LB", "Laboratory", False, (Ref("IG.LB", True, 1),)),
            FormDef("F.AE", "Adverse events", True, (Ref("IG.AE", False),)),
        ),
        item_groups=(
            ItemGroupDef(
                "IG.DM",
                "Demographics",
                False,
                (ItemRef("IT.AGE", True, 1), ItemRef("IT.SEX", True, 2, key_sequence=1)),
                domain="DM",
                sas_dataset_name="DM",
                purpose="Tabulation",
            ),
            ItemGroupDef("IG.LB", "Chemistry", False, (ItemRef("IT.CREAT", True, 1),), domain="LB"),
            ItemGroupDef(
                "IG.AE",
                "Adverse event",
                True,
                (ItemRef("IT.AETERM", True, 1), ItemRef("IT.AESTDTC", False, 2)),
                domain="AE",
                origin="CRF",
                comment="one group per event",
            ),
        ),
        items=(
            ItemDef(
                "IT.AGE", "Age", "integer", 3, question=en("Age (years)"), sas_field_name="AGE"
            ),
            ItemDef(
                "IT.SEX",
                "Sex",
                "text",
                1,
                question=(TranslatedText("Sex", "en"), TranslatedText("Geschlecht", "de")),
                code_list_oid="CL.SEX",
                sds_var_name="SEX",
            ),
            ItemDef(
                "IT.CREAT",
                "Creatinine",
                "float",
                6,
                significant_digits=1,
                measurement_unit_oids=("MU.UMOLL", "MU.MGDL"),
                origin="CRF",
                comment="local lab",
            ),
            ItemDef("IT.AETERM", "AE term", "text", 200, question=(TranslatedText("Term", None),)),
            ItemDef("IT.AESTDTC", "AE start", "partialDate"),
        ),
        code_lists=(
            CodeList(
                "CL.SEX",
                "Sex",
                "text",
                (CodeListItem("F", en("Female"), 1), CodeListItem("M", en("Male"), 2)),
                sas_format_name="$SEX",
            ),
        ),
        units=(
            MeasurementUnit("MU.UMOLL", "umol/L", en("µmol/L")),
            MeasurementUnit("MU.MGDL", "mg/dL", en("mg/dL")),
        ),
    )


def admin_data() -> AdminData:
    return AdminData(
        users=(
            User(
                "USR.INV1",
                "Investigator",
                login_name="investigator.a",
                display_name="Dr. A",
                full_name="Anna Arzt",
                organization="Universitätsklinikum Halle",
                emails=("a@example.org",),
                location_oids=("LOC.HAL",),
            ),
            User("USR.DM", "Sponsor", login_name="datamanager"),
        ),
        locations=(
            Location(
                "LOC.HAL",
                "Universitätsklinikum Halle",
                (MetaDataVersionRef("ST.RAMUNET", "MDV.1", date(2025, 1, 15)),),
                "Site",
            ),
        ),
        signature_defs=(
            SignatureDef(
                "SD.PI",
                "Principal investigator approval",
                "21 CFR Part 11 electronic signature",
                "Electronic",
            ),
        ),
        study_oid="ST.RAMUNET",
    )


def audit(reason: str | None = None) -> AuditRecord:
    return AuditRecord("USR.INV1", "LOC.HAL", ENTERED, reason, "crf-1234" if reason else None)


def clinical_data() -> ClinicalDataModel:
    signature = Signature("USR.INV1", "LOC.HAL", "SD.PI", datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    screening = StudyEventData(
        "SE.SCREEN",
        (
            FormData(
                "F.DM",
                (
                    ItemGroupData(
                        "IG.DM",
                        (ItemData("IT.AGE", "64", audit=audit()), ItemData("IT.SEX", "F")),
                    ),
                ),
                signature=signature,
            ),
        ),
    )
    cycle = StudyEventData(
        "SE.CYCLE",
        (
            FormData(
                "F.LB",
                (
                    ItemGroupData(
                        "IG.LB",
                        (
                            ItemData(
                                "IT.CREAT",
                                "88.4",
                                measurement_unit_oid="MU.UMOLL",
                                audit=audit("transcription error"),
                            ),
                        ),
                    ),
                ),
            ),
            FormData(
                "F.AE",
                (
                    ItemGroupData(
                        "IG.AE",
                        (
                            ItemData("IT.AETERM", "Nausea"),
                            ItemData("IT.AESTDTC", None, is_null=True),
                        ),
                        repeat_key="1",
                    ),
                ),
                repeat_key="1",
            ),
        ),
        repeat_key="1",
    )
    return ClinicalDataModel(
        "ST.RAMUNET",
        "MDV.1",
        (
            SubjectData("HAL-001", (screening, cycle), site_oid="LOC.HAL", audit=audit()),
            SubjectData("HAL-002", ()),
        ),
        admin_data(),
    )
