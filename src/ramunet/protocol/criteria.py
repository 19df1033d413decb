"""Inclusion IN01..IN14 and exclusion EX01..EX16 of the RamuNET protocol, version 01.

Numbered in the order of the protocol's bullets (PROTOCOL-NOTES.md, "Population"). Each criterion
holds the protocol's words (quoted from ramunet-protocol.txt, "Inclusion criteria" and "Exclusion
criteria"), the screening data items it reads (field names of
``ramunet.protocol.screening.ScreeningData``), its kind and its rule as applied, with the default
thresholds of ``ProtocolSettings``. Attestations are the investigator's recorded yes/no; they are
required like any other criterion. IN11 duplicates EX12 and is kept but not applied (erratum E01).

For an exclusion criterion the state "met" means the patient is clear of it; "not met" means the
exclusion applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ramunet.clinical.errors import UnknownTerm


class CriterionList(StrEnum):
    INCLUSION = "inclusion"
    EXCLUSION = "exclusion"


class CriterionKind(StrEnum):
    RULE = "rule"  # decided from recorded data
    ATTESTATION = "attestation"  # the investigator's recorded yes/no


@dataclass(frozen=True)
class Criterion:
    """One eligibility criterion: protocol text, data items, kind and the rule applied."""

    id: str
    list: CriterionList
    short: str
    text: str
    kind: CriterionKind
    data_items: tuple[str, ...]
    rule: str
    erratum: str | None = None  # id in ramunet.protocol.errata
    applied: bool = True

    @property
    def label(self) -> str:
        """The short text, marked when the criterion is not applied."""
        return self.short if self.applied else f"{self.short} (erratum: not applied)"


_IN = CriterionList.INCLUSION
_EX = CriterionList.EXCLUSION
_RULE = CriterionKind.RULE
_ATTEST = CriterionKind.ATTESTATION

INCLUSION: tuple[Criterion, ...] = (
    Criterion(
        "IN01",
        _IN,
        "Unresectable metastatic G1-G2 pNET",
        "Histologically confirmed unresectable metastatic non-functional or functional G1-G2 PNET "
        "excluding G3 neuroendocrine carcinomas (NEC)",
        _RULE,
        ("tumour",),
        "histologically confirmed, pancreatic, well differentiated (not NEC), grade in G1-G2, "
        "Ki-67 <= 20% when reported, metastatic and unresectable",
        erratum="E16",
    ),
    Criterion(
        "IN02",
        _IN,
        "Age 18-75 years",
        "Age: 18–75 years",
        _RULE,
        ("date_of_birth", "consent_date"),
        "18 <= age <= 75 in completed years on the consent date",
        erratum="E12",
    ),
    Criterion(
        "IN03",
        _IN,
        "Measurable disease (RECIST 1.1)",
        "Measurable disease (RECIST 1.1)",
        _RULE,
        ("imaging",),
        "measurable disease on baseline imaging within 28 days before the first dose",
    ),
    Criterion(
        "IN04",
        _IN,
        "Progression on prior therapy; no prior DTIC",
        "Progressive disease under treatment with either non-DTIC-based chemotherapy (e.g. "
        "5-FU/streptozocin, capecitabine), SSA analogues, everolimus, sunitinib or PRRT. No prior "
        "therapy with DTIC is allowed.",
        _RULE,
        ("prior_therapies",),
        "progression under a non-DTIC chemotherapy, SSA, everolimus, sunitinib or PRRT; any "
        "prior DTIC excludes; prior temozolomide needs investigator confirmation",
        erratum="E06",
    ),
    Criterion(
        "IN05",
        _IN,
        "ECOG 0-1",
        "ECOG 0–1",
        _RULE,
        ("ecog",),
        "latest ECOG within 28 days <= 1",
    ),
    Criterion(
        "IN06",
        _IN,
        "Life expectancy > 12 weeks",
        "Life expectancy > 12 weeks",
        _ATTEST,
        ("attestations.life_expectancy_over_12_weeks",),
        "investigator confirms life expectancy > 12 weeks",
    ),
    Criterion(
        "IN07",
        _IN,
        "Adequate renal function",
        "Adequate renal function (serum creatinine ≤1.5 x ULN, or creatinine clearance (measured "
        "via 24-h urine collection) ≥40 mL/minute (if serum creatinine is > 1.5 x ULN, a 24-h "
        "urine collection to calculate creatinine clearance must be per-formed). Urinary protein "
        "is ≤1+ on dipstick or routine urinalysis (UA; if urine dipstick or routine analysis is "
        "≥2+, a 24-h urine collection for protein must demonstrate < 1000 mg of protein in 24 h "
        "to allow participation in this protocol).",
        _RULE,
        (
            "labs.creatinine",
            "labs.creatinine_clearance",
            "urine_dipsticks",
            "labs.urine_protein_24h",
        ),
        "creatinine <= 1.5 x ULN, else 24-h creatinine clearance >= 40 mL/min; dipstick <= 1+, "
        "else 24-h urine protein < 1000 mg",
        erratum="E11",
    ),
    Criterion(
        "IN08",
        _IN,
        "Adequate hepatic function",
        "Adequate hepatic function (total bilirubin ≤1.5 mg/dL (25.65 μmol/L), and aspartate "
        "transaminase (AST) and alanine transaminase (ALT) ≤ 3.0 x ULN; or 5.0 x ULN in the "
        "setting of liver metastases)",
        _RULE,
        ("labs.bilirubin", "labs.ast", "labs.alt", "liver_metastases"),
        "bilirubin <= 1.5 mg/dL (25.65 umol/L); AST and ALT <= 3.0 x ULN, <= 5.0 x ULN with liver "
        "metastases",
        erratum="E21",
    ),
    Criterion(
        "IN09",
        _IN,
        "Adequate bone marrow function",
        "Adequate bone marrow function (absolute neutrophil count > 1500/mm3, platelets > "
        "100,000/mm3, hemoglobin> 9 g/dL)",
        _RULE,
        ("labs.anc", "labs.platelets", "labs.hemoglobin"),
        "ANC > 1500/mm3, platelets > 100,000/mm3, haemoglobin > 9 g/dL (all strict)",
    ),
    Criterion(
        "IN10",
        _IN,
        "Adequate coagulation function",
        "Adequate coagulation function (INR ≤1.5 and PTT ≤ 5 s above the ULN (unless receiving "
        "anticoagulation therapy)",
        _RULE,
        ("labs.inr", "labs.ptt", "therapeutic_anticoagulation"),
        "INR <= 1.5 and PTT <= ULN + 5 s; both waived under therapeutic anticoagulation",
        erratum="E14",
    ),
    Criterion(
        "IN11",
        _IN,
        "High bleeding-risk condition present",
        "Pathological condition present that carries a high risk of bleeding (for example, tumor "
        "involving major vessels or known varices)",
        _ATTEST,
        ("attestations.bleeding_risk_condition",),
        "not applied: read as exclusion criterion EX12 only",
        erratum="E01",
        applied=False,
    ),
    Criterion(
        "IN12",
        _IN,
        "Effective contraception if sexually active",
        "The patient, if sexually active, must be postmenopausal, surgically sterile, or using "
        "effective contraception (hormonal or barrier methods, Pearl Index < 1)",
        _ATTEST,
        ("attestations.contraception_adequate",),
        "investigator confirms: not sexually active, postmenopausal, surgically sterile or using "
        "effective contraception",
        erratum="E05",
    ),
    Criterion(
        "IN13",
        _IN,
        "Negative serum pregnancy test within 7 days",
        "Female patients of childbearing potential must have a negative serum pregnancy test "
        "within 7 days prior to first dose of protocol therapy",
        _RULE,
        ("sex", "childbearing_potential", "pregnancy_tests"),
        "women of childbearing potential: latest serum test within 7 days before the first dose "
        "is negative (urine or older tests do not count)",
    ),
    Criterion(
        "IN14",
        _IN,
        "Able to understand and sign consent",
        "The patient must be able to understand, consent and sign the written consent form",
        _ATTEST,
        ("attestations.able_to_consent",),
        "investigator confirms the patient can understand, consent and sign",
    ),
)

EXCLUSION: tuple[Criterion, ...] = (
    Criterion(
        "EX01",
        _EX,
        "Pregnancy or lactation",
        "Pregnancy (positive urine or blood pregnancy test) or lactation.",
        _RULE,
        ("sex", "pregnancy_tests", "lactating"),
        "women: latest pregnancy test (serum or urine) within 28 days not positive and not "
        "lactating",
    ),
    Criterion(
        "EX02",
        _EX,
        "Secondary malignancy",
        "Secondary malignancies in patient’s history with the exception of: disease-free period > "
        "5 years before randomization or basalioma of the skin or carcinoma of the cervix after "
        "successful therapy",
        _RULE,
        ("other_malignancies",),
        "each other malignancy disease-free > 5 years before the first dose, or a successfully "
        "treated basalioma of the skin or carcinoma of the cervix",
        erratum="E02",
    ),
    Criterion(
        "EX03",
        _EX,
        "Allergy to dacarbazine or ramucirumab",
        "Allergy against dacarbacine or ramucirumab",
        _RULE,
        ("allergy_to_study_drugs",),
        "no known allergy to dacarbazine or ramucirumab",
        erratum="E13",
    ),
    Criterion(
        "EX04",
        _EX,
        "Other clinical drug trial within 4 weeks",
        "Current enrolment or participation within the last 4 weeks in a clinical drug trial",
        _RULE,
        ("medical_history.clinical_trial",),
        "no ongoing clinical drug trial and none within 28 days before the first dose",
        erratum="E09",
    ),
    Criterion(
        "EX05",
        _EX,
        "Arterial thromboembolism within 6 months",
        "Any arterial thromboembolic events, including but not limited to myocardial infarction, "
        "transient ischemic attack, cerebrovascular accident, or unstable angina, within 6 months "
        "prior to first dose of protocol therapy",
        _RULE,
        ("medical_history.arterial_thromboembolism",),
        "no arterial thromboembolic event within 6 calendar months before the first dose",
        erratum="E09",
    ),
    Criterion(
        "EX06",
        _EX,
        "Cirrhosis Child-Pugh B+ or with encephalopathy/ascites",
        "Insufficient liver function: cirrhosis at a level of Child-Pugh B (or worse) or cirrhosis "
        "(any degree) and a history of hepatic encephalopathy or clinically meaningful ascites "
        "resulting from cirrhosis. Clinically meaningful ascites is defined as ascites from "
        "cirrhosis requiring diuretics or paracentesis.",
        _RULE,
        ("liver_cirrhosis",),
        "no cirrhosis, or cirrhosis Child-Pugh A without hepatic encephalopathy and without "
        "ascites requiring diuretics or paracentesis",
    ),
    Criterion(
        "EX07",
        _EX,
        "Uncontrolled hypertension",
        "Uncontrolled or poorly-controlled hypertension (> 160 mmHg systolic or > 100 mmHg "
        "diastolic for > 4 weeks) despite standard medical management",
        _RULE,
        ("uncontrolled_hypertension_days",),
        "blood pressure > 160 systolic or > 100 diastolic despite treatment for at most 28 days",
        erratum="E19",
    ),
    Criterion(
        "EX08",
        _EX,
        "Chronic antiplatelet therapy (aspirin <= 325 mg/day allowed)",
        "Chronic antiplatelet therapy, including aspirin, nonsteroidal anti-inflammatory drugs "
        "(NSAIDs, including ibuprofen, naproxen, and others), dipyridamole or clopidogrel, or "
        "similar agents. Once-daily aspirin use (maximum dose 325 mg/day) is permitted",
        _RULE,
        ("concomitant_medications",),
        "no chronic NSAID, dipyridamole, clopidogrel or similar; aspirin <= 325 mg/day allowed",
        erratum="E20",
    ),
    Criterion(
        "EX09",
        _EX,
        "Grade 3-4 GI bleeding within 3 months",
        "Grade 3–4 GI bleeding within 3 months prior to first dose of protocol therapy.",
        _RULE,
        ("medical_history.gi_bleeding_grade_3_4",),
        "no grade 3-4 GI bleeding within 3 calendar months before the first dose",
        erratum="E09",
    ),
    Criterion(
        "EX10",
        _EX,
        "DVT/PE within 3 months",
        "History of deep vein thrombosis (DVT), pulmonary embolism (PE), or any other significant "
        "thromboembolism (venous port or catheter thrombosis or superficial venous thrombosis are "
        "not considered “significant”) during the 3 months prior to first dose of protocol therapy",
        _RULE,
        ("medical_history.venous_thromboembolism",),
        "no significant venous thromboembolism within 3 calendar months before the first dose "
        "(port, catheter or superficial thrombosis do not count)",
        erratum="E09",
    ),
    Criterion(
        "EX11",
        _EX,
        "Uncontrolled severe physical or mental disorder",
        "Uncontrolled severe physical or mental disorders such as: neurological or psychiatric "
        "disorders including seizure, advanced dementia, psychosis, active uncontrolled infections "
        "or sepsis, HIV, replicative hepatitis B or C infection",
        _ATTEST,
        ("attestations.uncontrolled_severe_disorder",),
        "investigator confirms no uncontrolled severe physical or mental disorder",
    ),
    Criterion(
        "EX12",
        _EX,
        "High bleeding-risk condition",
        "Pathological condition present that carries a high risk of bleeding (for example, tumor "
        "involving major vessels or known varices)",
        _ATTEST,
        ("attestations.bleeding_risk_condition",),
        "investigator confirms no condition with a high risk of bleeding",
        erratum="E01",
    ),
    Criterion(
        "EX13",
        _EX,
        "GI perforation/fistula within 6 months or risk factors",
        "History of gastrointestinal perforation/fistula (within 6 months of first dose of "
        "protocol therapy) or risk factors for perforation.",
        _RULE,
        ("medical_history.gi_perforation_fistula", "attestations.perforation_risk_factors"),
        "no GI perforation or fistula within 6 calendar months before the first dose and the "
        "investigator confirms no risk factors for perforation",
        erratum="E09",
    ),
    Criterion(
        "EX14",
        _EX,
        "Recent surgery (major 28 d, minor/port 7 d)",
        "Major surgery within 28 days prior to first dose of protocol therapy, or minor "
        "sur-gery/subcutaneous venous access device placement within 7 days prior to first dose of "
        "protocol therapy",
        _RULE,
        (
            "medical_history.major_surgery",
            "medical_history.minor_surgery",
            "medical_history.venous_access_device",
        ),
        "no major surgery within 28 days and no minor surgery or venous access device placement "
        "within 7 days before the first dose",
        erratum="E09",
    ),
    Criterion(
        "EX15",
        _EX,
        "Major surgery planned during the trial",
        "Elective or planned major surgery to be performed during the course of the clinical "
        "trial.",
        _ATTEST,
        ("attestations.planned_major_surgery",),
        "investigator confirms no elective or planned major surgery during the trial",
    ),
    Criterion(
        "EX16",
        _EX,
        "Non-healing wound, ulcer or fracture within 28 days",
        "Serious or nonhealing wound, ulcer, or bone fracture within 28 days prior to first dose "
        "of protocol therapy.",
        _RULE,
        ("medical_history.wound_ulcer_fracture",),
        "no serious or non-healing wound, ulcer or bone fracture ongoing or within 28 days before "
        "the first dose",
        erratum="E09",
    ),
)

CRITERIA: tuple[Criterion, ...] = INCLUSION + EXCLUSION


def criterion(criterion_id: str) -> Criterion:
    """The criterion with this id (``IN01``..``IN14``, ``EX01``..``EX16``)."""
    for item in CRITERIA:
        if item.id == criterion_id:
            return item
    raise UnknownTerm("criterion_id", criterion_id, "IN01..IN14, EX01..EX16")
