"""Population eligibility rules: IN01-IN06, IN11-IN14 and EX01 (pregnancy or lactation).

Source: RamuNET protocol, "Study population", "Inclusion criteria", "Exclusion criteria";
PROTOCOL-NOTES.md, "Population" and "Eligibility conventions"; errata E01, E05, E06, E12, E16.
Each rule takes validated ``ScreeningData`` and ``ProtocolSettings`` and returns a ``Finding``.
"""

from __future__ import annotations

from ramunet.protocol.dates import add_months, completed_years
from ramunet.protocol.findings import (
    CriterionState,
    Finding,
    confirm,
    fmt,
    met,
    missing,
    not_met,
    pick_in_window,
)
from ramunet.protocol.screening import (
    Differentiation,
    PregnancyResult,
    PregnancyTestType,
    PriorTherapy,
    ScreeningData,
    Sex,
    TherapyCategory,
)
from ramunet.protocol.settings import ProtocolSettings, TemozolomideRule

# Prior therapies under which progression qualifies (IN04); temozolomide is flagged separately.
QUALIFYING_THERAPIES = frozenset(
    {
        TherapyCategory.CHEMOTHERAPY,
        TherapyCategory.SSA,
        TherapyCategory.EVEROLIMUS,
        TherapyCategory.SUNITINIB,
        TherapyCategory.PRRT,
        TherapyCategory.TEMOZOLOMIDE,
    }
)


def attested(answer: bool | None, question: str, *, yes_excludes: bool = False) -> Finding:
    """An attestation: the recorded yes/no decides; not recorded is data missing."""
    if answer is None:
        return missing(f"investigator attestation not recorded: {question}")
    shown = "yes" if answer else "no"
    passes = answer is not yes_excludes
    return (met if passes else not_met)(f"investigator attests {question}: {shown}")


def histology(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN01: histologically confirmed, unresectable, metastatic, well-differentiated pNET G1-G2."""
    tumour = data.tumour
    if tumour is None:
        return missing("tumour histology not recorded")
    problems: list[str] = []
    if not tumour.histologically_confirmed:
        problems.append("not histologically confirmed")
    if tumour.primary_site.strip().lower() != "pancreas":
        problems.append(f"primary site {tumour.primary_site!r}, not pancreas")
    if tumour.differentiation is Differentiation.POOR:
        problems.append("poorly differentiated neuroendocrine carcinoma (NEC)")
    allowed = ", ".join(settings.allowed_grades)
    if tumour.grade not in settings.allowed_grades:
        problems.append(f"grade {tumour.grade} not in {allowed}")
    ki67 = tumour.ki67_percent
    if ki67 is not None and ki67 > settings.ki67_max_percent:
        problems.append(f"Ki-67 {fmt(ki67)}% > {fmt(settings.ki67_max_percent)}%")
    if not tumour.metastatic:
        problems.append("not metastatic")
    if tumour.resectable:
        problems.append("resectable")
    if problems:
        return not_met("; ".join(problems))
    kind = {True: "functional ", False: "non-functional ", None: ""}[tumour.functional]
    ki67_text = "" if ki67 is None else f", Ki-67 {fmt(ki67)}%"
    return met(f"{kind}pNET {tumour.grade}{ki67_text}, metastatic, unresectable")


def age(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN02: 18 to 75 completed years on the consent date, both inclusive."""
    years = completed_years(data.date_of_birth, data.consent_date)
    low, high = settings.age_min_years, settings.age_max_years
    text = f"age {years} years at consent {data.consent_date.isoformat()}"
    if low <= years <= high:
        return met(f"{text}, within {low}-{high}")
    return not_met(f"{text}, outside {low}-{high}")


def measurable_disease(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN03: measurable disease (RECIST 1.1) on imaging within the screening window."""
    imaging = data.imaging
    if imaging is None:
        return missing("baseline imaging not recorded")
    chosen, absent = pick_in_window(
        [imaging],
        data.planned_first_dose_date,
        settings.screening_window_days,
        "baseline imaging",
    )
    if chosen is None:
        return absent or missing("baseline imaging not recorded")
    if not chosen.measurable_disease:
        return not_met(f"no measurable disease (RECIST 1.1) on imaging of {chosen.date}")
    return met(f"measurable disease (RECIST 1.1) on imaging of {chosen.date}")


def _agents(therapies: list[PriorTherapy]) -> str:
    return ", ".join(therapy.agent or therapy.category.value for therapy in therapies)


def prior_therapy(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN04: progression under a non-DTIC chemotherapy, SSA, everolimus, sunitinib or PRRT; any
    prior DTIC excludes; temozolomide per ``settings.temozolomide_rule`` (erratum E06)."""
    therapies = data.prior_therapies
    if therapies is None:
        return missing("prior therapies not recorded")
    dtic = [item for item in therapies if item.category is TherapyCategory.DACARBAZINE]
    if dtic:
        return not_met(f"prior dacarbazine ({_agents(dtic)}): no prior DTIC allowed")
    qualifying = [
        item for item in therapies if item.category in QUALIFYING_THERAPIES and item.progression
    ]
    if not qualifying:
        listed = _agents(list(therapies)) or "none recorded"
        return not_met(
            "no progression under non-DTIC chemotherapy, SSA, everolimus, sunitinib or PRRT "
            f"(prior: {listed})"
        )
    base = f"progression under {_agents(qualifying)}"
    temozolomide = [item for item in therapies if item.category is TherapyCategory.TEMOZOLOMIDE]
    if not temozolomide:
        return met(base)
    rule = settings.temozolomide_rule
    if rule is TemozolomideRule.EXCLUDE:
        return not_met(f"prior temozolomide ({_agents(temozolomide)}) excludes")
    if rule is TemozolomideRule.REVIEW:
        return confirm(
            f"{base}; prior temozolomide (DTIC's oral derivative): investigator to confirm"
        )
    ends = [item.end_date for item in temozolomide]
    if any(end is None for end in ends):
        return not_met("temozolomide ongoing")
    last = max(end for end in ends if end is not None)
    limit = add_months(data.planned_first_dose_date, -settings.temozolomide_gap_months)
    if last < limit:
        return met(f"{base}; last temozolomide {last} > {settings.temozolomide_gap_months} months")
    return not_met(
        f"last temozolomide {last} within {settings.temozolomide_gap_months} months before the "
        f"first dose (since {limit})"
    )


def ecog(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN05: latest ECOG performance status within the screening window <= 1."""
    if data.ecog is None:
        return missing("ECOG not recorded")
    chosen, absent = pick_in_window(
        [data.ecog],
        data.planned_first_dose_date,
        settings.screening_window_days,
        "ECOG",
    )
    if chosen is None:
        return absent or missing("ECOG not recorded")
    if chosen.value <= settings.ecog_max:
        return met(f"ECOG {chosen.value} <= {settings.ecog_max}")
    return not_met(f"ECOG {chosen.value} > {settings.ecog_max}")


def life_expectancy(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN06 (attestation): life expectancy > 12 weeks."""
    return attested(data.attestations.life_expectancy_over_12_weeks, "life expectancy > 12 weeks")


def bleeding_risk_inclusion(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN11: not applied (erratum E01); the condition is assessed as exclusion EX12."""
    return Finding(CriterionState.NOT_APPLIED, "erratum E01: assessed as exclusion EX12 only")


def contraception(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN12 (attestation, erratum E05): postmenopausal, sterile, or effective contraception."""
    return attested(
        data.attestations.contraception_adequate,
        "not sexually active, postmenopausal, surgically sterile or using effective contraception",
    )


def pregnancy_test(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN13: women of childbearing potential: negative serum test within 7 days before the first
    dose; a urine test or an older test does not count (data missing)."""
    if data.sex is Sex.MALE:
        return met("not applicable: male")
    if data.childbearing_potential is None:
        return missing("childbearing potential not recorded")
    if not data.childbearing_potential:
        return met("not applicable: no childbearing potential")
    first_dose = data.planned_first_dose_date
    days = settings.pregnancy_test_window_days
    serum = [item for item in data.pregnancy_tests if item.type is PregnancyTestType.SERUM]
    chosen, absent = pick_in_window(serum, first_dose, days, "serum pregnancy test")
    if chosen is None:
        urine_recent = [
            item
            for item in data.pregnancy_tests
            if item.type is PregnancyTestType.URINE and 0 <= (first_dose - item.date).days <= days
        ]
        if urine_recent:
            return missing(f"only a urine pregnancy test within {days} days: serum test required")
        return absent or missing("no serum pregnancy test recorded")
    age_days = (first_dose - chosen.date).days
    text = f"serum pregnancy test of {chosen.date} ({age_days} days before the first dose)"
    if chosen.result is PregnancyResult.POSITIVE:
        return not_met(f"{text} positive")
    return met(f"{text} negative")


def able_to_consent(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """IN14 (attestation): able to understand, consent and sign."""
    return attested(
        data.attestations.able_to_consent, "patient able to understand, consent and sign"
    )


def pregnancy_or_lactation(data: ScreeningData, settings: ProtocolSettings) -> Finding:
    """EX01: a positive pregnancy test (serum or urine, latest within the screening window) or
    lactation excludes."""
    if data.sex is Sex.MALE:
        return met("not applicable: male")
    test, _ = pick_in_window(
        data.pregnancy_tests,
        data.planned_first_dose_date,
        settings.screening_window_days,
        "pregnancy test",
    )
    if test is not None and test.result is PregnancyResult.POSITIVE:
        return not_met(f"{test.type} pregnancy test of {test.date} positive")
    if data.lactating is None:
        return missing("lactation not recorded")
    if data.lactating:
        return not_met("lactating")
    tested = "" if test is None else f"; latest pregnancy test of {test.date} negative"
    return met(f"not lactating{tested}")
