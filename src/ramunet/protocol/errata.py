"""The protocol's errata and gaps, each with the reading ramunet applies.

Source: PROTOCOL-NOTES.md (binding readings) against ramunet-protocol.txt. The list is shown by
``ramunet protocol`` so that the trial team can confirm or override each reading; ``applied_in``
names the criterion, setting or module that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ramunet.clinical.errors import UnknownTerm


@dataclass(frozen=True)
class Erratum:
    """An erratum or gap: what the protocol says, the problem, and the reading applied."""

    id: str
    title: str
    protocol_text: str
    problem: str
    reading: str
    applied_in: tuple[str, ...]


ERRATA: tuple[Erratum, ...] = (
    Erratum(
        "E01",
        "Bleeding-risk condition in both lists",
        "Pathological condition present that carries a high risk of bleeding (for example, tumor "
        "involving major vessels or known varices)",
        "The same bullet is an inclusion and an exclusion criterion; as inclusion it contradicts "
        "the safety rationale of an anti-VEGFR2 antibody.",
        "Exclusion only (EX12). IN11 stays in the list, marked 'erratum: not applied'.",
        ("IN11", "EX12"),
    ),
    Erratum(
        "E02",
        "'Before randomization' in a single-arm trial",
        "disease-free period > 5 years before randomization",
        "There is no randomization.",
        "Read as before registration, counted back from the planned first dose; exactly 5 years "
        "is not > 5 years.",
        ("EX02", "ProtocolSettings.malignancy_disease_free_years"),
    ),
    Erratum(
        "E03",
        "Three recruitment plans",
        "45 patients over a period of 24 months (abstract); during a period of one year "
        "(statistics); 5 patients per centre over 12 months with about 8 centres",
        "24 months, 12 months and 40 per year disagree; status Sep 2021: 25 recruited since June "
        "2019, 18 more months expected.",
        "Recruitment is projected from the actual enrolment dates, not from any stated plan.",
        ("Design",),
    ),
    Erratum(
        "E04",
        "Table 1 (schedule of assessments) lost",
        "All required study procedures are listed in Table 1 (footnotes: every 3 months; imaging "
        "if none within 4 weeks; at the beginning of each cycle; AEs beyond 30 days)",
        "The table body was not extractable.",
        "Schedule reconstructed from the footnotes and the text (screening, day 1 and day 15, "
        "12-weekly assessments, EOT, safety follow-up at 30 days, 3-monthly follow-up to month "
        "24).",
        ("ramunet.protocol.schedule",),
    ),
    Erratum(
        "E05",
        "Contraception: Pearl Index < 1 vs barrier methods",
        "using effective contraception (hormonal or barrier methods, Pearl Index < 1)",
        "Barrier methods do not reach a Pearl Index < 1.",
        "Investigator attestation (IN12): the recorded yes/no decides; not recorded is data "
        "missing.",
        ("IN12",),
    ),
    Erratum(
        "E06",
        "Prior temozolomide not addressed",
        "No prior therapy with DTIC is allowed.",
        "Temozolomide is DTIC's oral derivative; the protocol is silent on it (the EU register "
        "reportedly allows it after 6 months).",
        "Prior temozolomide makes IN04 'investigator confirmation needed' (setting "
        "temozolomide_rule: review / exclude / allow_after_gap).",
        ("IN04", "ProtocolSettings.temozolomide_rule"),
    ),
    Erratum(
        "E07",
        "EU trials register differs from the published protocol",
        "G1-G2 PNET; Age: 18–75 years",
        "The register reportedly lists G1-G3 with Ki-67 up to 55%, age 18-80 and prior "
        "temozolomide allowed after 6 months (not verified).",
        "The published protocol is implemented; grade, Ki-67, age limits and the temozolomide "
        "rule are settings.",
        ("ProtocolSettings",),
    ),
    Erratum(
        "E08",
        "Disease control 'at 6 months' vs 'until progressive disease'",
        "Disease-control will be calculated from start of study treatment until progressive "
        "disease.",
        "The landmark assessment is not defined.",
        "The month-6 assessment is the first evaluable RECIST 1.1 assessment in day 154..182 "
        "(day 168 +/- 14, settings); CR/PR/SD without earlier progression or death is success.",
        ("DC6", "ProtocolSettings.month6_target_day", "ProtocolSettings.month6_window_days"),
    ),
    Erratum(
        "E09",
        "Time windows: reference date and boundary",
        "within 6 months prior to first dose; within the last 4 weeks; within 28 days prior",
        "Reference date and boundary are not stated.",
        "Every window is counted back from the planned first dose and includes its boundary; "
        "month windows are calendar months; 4 weeks = 28 days.",
        ("EX04", "EX05", "EX09", "EX10", "EX13", "EX14", "EX16"),
    ),
    Erratum(
        "E10",
        "Screening assessments older than 28 days",
        "There is a screening period of 28 days.",
        "The protocol does not say what an older result means.",
        "Every screening assessment must fall within 28 days before the first dose; an older one "
        "(or a pregnancy test older than 7 days, or a urine test where serum is required) makes "
        "the criterion 'data missing' (repeat the test), not 'not met'. The latest result counts.",
        ("IN03", "IN05", "IN07", "IN08", "IN09", "IN10", "IN13"),
    ),
    Erratum(
        "E11",
        "Fallback tests",
        "serum creatinine ≤1.5 x ULN, or creatinine clearance ... ≥40 mL/minute; dipstick ≥2+ ... "
        "24-h urine collection",
        "When the fallback decides is implicit.",
        "The 24-h creatinine clearance decides only when creatinine > 1.5 x ULN, the 24-h protein "
        "only when the dipstick is >= 2+; otherwise they are shown, not used.",
        ("IN07",),
    ),
    Erratum(
        "E12",
        "Age without a reference date",
        "Age: 18–75 years",
        "Neither the reference date nor the 29 February case is stated.",
        "Completed years on the consent date, 18 and 75 inclusive; a 29 February birthday falls "
        "on 1 March in non-leap years.",
        ("IN02",),
    ),
    Erratum(
        "E13",
        "Misspelt drug name",
        "Allergy against dacarbacine or ramucirumab",
        "'dacarbacine' is dacarbazine.",
        "Read as dacarbazine (DTIC).",
        ("EX03",),
    ),
    Erratum(
        "E14",
        "Coagulation waiver under anticoagulation",
        "INR ≤1.5 and PTT ≤ 5 s above the ULN (unless receiving anticoagulation therapy)",
        "Unbalanced parenthesis: unclear whether the waiver covers INR, PTT or both.",
        "Therapeutic anticoagulation recorded waives both INR and PTT (met without values).",
        ("IN10",),
    ),
    Erratum(
        "E15",
        "Ramucirumab body weight",
        "Ramucirumab at a dose of 8 mg/kg body weight",
        "Which weight, and when to recalculate, is not stated.",
        "Actual body weight; doses recalculated when the weight changes by >= 10% from the weight "
        "of the last calculation (setting).",
        ("ramunet.protocol.regimen", "ProtocolSettings.weight_change_recalculation_percent"),
    ),
    Erratum(
        "E16",
        "G3 exclusion worded differently",
        "G1-G2 PNET excluding G3 neuroendocrine carcinomas (NEC) [inclusion]; excluding G3 NEC or "
        "G3 NET [study population]",
        "The inclusion bullet names only G3 NEC.",
        "Only G1-G2 well-differentiated pNET are eligible (setting allowed_grades); Ki-67 above "
        "20% (WHO 2019 G3) is not met.",
        ("IN01", "ProtocolSettings.allowed_grades", "ProtocolSettings.ki67_max_percent"),
    ),
    Erratum(
        "E17",
        "Secondary malignancy exceptions",
        "basalioma of the skin or carcinoma of the cervix after successful therapy",
        "'After successful therapy' may qualify one or both exceptions.",
        "Both exceptions require successful therapy (a disease-free date recorded).",
        ("EX02",),
    ),
    Erratum(
        "E18",
        "Follow-up 'from the start of the study'",
        "Patients will be followed-up at least 24 months from the start of the study.",
        "Start of the study vs of each patient's treatment.",
        "At least 24 months from each patient's start of study treatment.",
        ("ramunet.protocol.schedule", "ProtocolSettings.follow_up_months"),
    ),
    Erratum(
        "E19",
        "Hypertension duration",
        "> 160 mmHg systolic or > 100 mmHg diastolic for > 4 weeks",
        "How the duration is recorded is not stated.",
        "The investigator records the days of uncontrolled blood pressure despite treatment; "
        "more than 28 days excludes.",
        ("EX07",),
    ),
    Erratum(
        "E20",
        "Aspirin both excluded and permitted",
        "Chronic antiplatelet therapy, including aspirin ... Once-daily aspirin use (maximum dose "
        "325 mg/day) is permitted",
        "Aspirin appears on both sides.",
        "Aspirin <= 325 mg/day is allowed; above 325 mg/day, or any other chronic antiplatelet "
        "agent or NSAID, excludes.",
        ("EX08",),
    ),
    Erratum(
        "E21",
        "Bilirubin in two units",
        "total bilirubin ≤1.5 mg/dL (25.65 μmol/L)",
        "The factor is implicit.",
        "1 mg/dL = 17.1 umol/L; both units accepted and compared exactly (25.65 umol/L = 1.5 "
        "mg/dL).",
        ("IN08",),
    ),
    Erratum(
        "E22",
        "Success criterion stated as a confidence interval",
        "If the primary endpoint of this pilot trial lies within in the confidence interval",
        "The decision rule of an exact single-stage design is a critical number of successes.",
        "H0 is rejected when at least 33 of 45 patients reach disease control at 6 months.",
        ("Design",),
    ),
)


def erratum(erratum_id: str) -> Erratum:
    """The erratum with this id (``E01``...)."""
    for item in ERRATA:
        if item.id == erratum_id:
            return item
    raise UnknownTerm("erratum_id", erratum_id, ", ".join(item.id for item in ERRATA))
