"""SDTM special-purpose and events/interventions domains: DM, DS, EX (+SUPPEX), AE (+SUPPAE),
CM, MH.

Rows are built one chunk of patients at a time (``source.chunks``). Study days count from
RFSTDTC, the first dose (SDTMIG v3.4 §4.4.4); dates are ISO 8601; terms follow CDISC
Controlled Terminology where the trial's answers map to it (``ramunet.exports.sdtm_model``).

References
----------
CDISC SDTMIG v3.4: §5.2 DM, §6.1.3 EX, §6.2.1 AE, §6.2.4 DS, §6.1.2 CM, §6.2.6 MH, §8.4 SUPPQUAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ramunet.edc.crfs.models import PriorTherapy
from ramunet.edc.exporting.source import UNREAD_JSON, Chunk, Row, chunks
from ramunet.exports.sdtm_model import (
    AE_ACTION,
    AE_OUTCOME,
    AE_RELATION,
    AE_SERIOUS_FLAGS,
    DS_REASON,
    SEX,
    STUDYID,
    Domain,
    char,
    iso8601,
    num,
    split_text,
    study_day,
    usubjid,
    yes_no,
)

COUNTRY_ISO3: Final = {"DE": "DEU", "AT": "AUT", "CH": "CHE"}
ARM: Final = ("RAMDTIC", "Ramucirumab + Dacarbazine")
KEYS: Final = (
    char("STUDYID", "Study Identifier", 7),
    char("DOMAIN", "Domain Abbreviation", 2),
    char("USUBJID", "Unique Subject Identifier", 20),
)


def visit_of(chunk: Chunk, patient_pk: int) -> dict[int, Row]:
    return {visit["pk"]: visit for visit in chunk.visits.get(patient_pk, [])}


def _dm_variables() -> tuple[Any, ...]:
    return (
        *KEYS,
        char("SUBJID", "Subject Identifier for the Study", 8),
        char("RFSTDTC", "Subject Reference Start Date/Time", 10),
        char("RFENDTC", "Subject Reference End Date/Time", 10),
        char("RFXSTDTC", "Date/Time of First Study Treatment", 16),
        char("RFXENDTC", "Date/Time of Last Study Treatment", 16),
        char("RFICDTC", "Date/Time of Informed Consent", 10),
        char("DTHDTC", "Date/Time of Death", 10),
        char("DTHFL", "Subject Death Flag", 1),
        char("SITEID", "Study Site Identifier", 3),
        char("BRTHDTC", "Date/Time of Birth", 4),
        num("AGE", "Age"),
        char("AGEU", "Age Units", 5),
        char("SEX", "Sex", 1),
        char("ARMCD", "Planned Arm Code", 8),
        char("ARM", "Description of Planned Arm", 40),
        char("ACTARMCD", "Actual Arm Code", 8),
        char("ACTARM", "Description of Actual Arm", 40),
        char("COUNTRY", "Country", 3),
    )


def _exposure_dates(chunk: Chunk, pk: int) -> tuple[str | None, str | None]:
    given = [
        row.get("infusion_start") or row["form_date"]
        for row in chunk.rows("EXPOSURE", pk)
        if row.get("dose_given_mg")
    ]
    if not given:
        return None, None
    return iso8601(min(given)), iso8601(max(given))


def age_years(consent_year: int, year_of_birth: int) -> int:
    """Age at consent in completed years from the year of birth alone: the lower bound
    (the CRF keeps no full date of birth; ``crfs.derive.derive_demographics`` gives both)."""
    return consent_year - year_of_birth - 1


def dm_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(forms=("EXPOSURE", "DEATH", "EOS"), extras=(), json_text=UNREAD_JSON):
        for p in chunk.patients:
            pk = p["pk"]
            first, last = _exposure_dates(chunk, pk)
            deaths = chunk.rows("DEATH", pk)
            death = iso8601(deaths[0]["death_date"]) if deaths else None
            ends = chunk.rows("EOS", pk)
            end = iso8601(ends[-1]["end_date"]) if ends else None
            treated = p["first_dose"] is not None
            yield (
                STUDYID,
                "DM",
                usubjid(p["code"]),
                p["code"],
                iso8601(p["first_dose"]),
                end,
                first,
                last,
                iso8601(p["consent_date"]),
                death,
                "Y" if death else None,
                p["centre__code"],
                str(p["year_of_birth"]),
                age_years(p["consent_date"].year, p["year_of_birth"]),
                "YEARS",
                SEX.get(p["sex"]),
                ARM[0],
                ARM[1],
                ARM[0] if treated else "NOTTRT",
                ARM[1] if treated else "Not Treated",
                COUNTRY_ISO3.get(p["centre__country"], p["centre__country"]),
            )


def dm() -> Domain:
    return Domain("DM", "Demographics", _dm_variables(), dm_rows)


def ds_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(forms=("EOT", "EOS"), extras=(), json_text=UNREAD_JSON):
        for p in chunk.patients:
            ref = p["first_dose"]
            records: list[tuple[str, str, str, str, Any]] = [
                (
                    "INFORMED CONSENT OBTAINED",
                    "INFORMED CONSENT OBTAINED",
                    "PROTOCOL MILESTONE",
                    "",
                    p["consent_date"],
                ),
            ]
            for row in chunk.rows("EOT", p["pk"]):
                decod = DS_REASON.get(row["reason"], "OTHER")
                records.append(
                    (decod, decod, "DISPOSITION EVENT", "END OF TREATMENT", row["form_date"])
                )
            for row in chunk.rows("EOS", p["pk"]):
                decod = DS_REASON.get(row["reason"], "OTHER")
                records.append((decod, decod, "DISPOSITION EVENT", "END OF STUDY", row["end_date"]))
            for seq, (term, decod, cat, scat, day) in enumerate(records, start=1):
                yield (
                    STUDYID,
                    "DS",
                    usubjid(p["code"]),
                    seq,
                    term,
                    decod,
                    cat,
                    scat or None,
                    iso8601(day),
                    study_day(day, ref),
                )


def ds() -> Domain:
    variables = (
        *KEYS,
        num("DSSEQ", "Sequence Number"),
        char("DSTERM", "Reported Term for the Disposition Event", 40),
        char("DSDECOD", "Standardized Disposition Term", 40),
        char("DSCAT", "Category for Disposition Event", 20),
        char("DSSCAT", "Subcategory for Disposition Event", 20),
        char("DSSTDTC", "Start Date/Time of Disposition Event", 10),
        num("DSSTDY", "Study Day of Start of Disposition Event"),
    )
    return Domain("DS", "Disposition", variables, ds_rows)


def ex_records() -> Iterator[tuple[Row, int, Row, Any]]:
    """(patient, EXSEQ, exposure row, its visit), shared by EX and SUPPEX."""
    for chunk in chunks(forms=("EXPOSURE",), extras=("visits",), json_text=UNREAD_JSON):
        for p in chunk.patients:
            visits = visit_of(chunk, p["pk"])
            for seq, row in enumerate(chunk.rows("EXPOSURE", p["pk"]), start=1):
                yield p, seq, row, visits.get(row["visit_id"])


def ex_rows() -> Iterator[tuple[Any, ...]]:
    for p, seq, row, visit in ex_records():
        ref = p["first_dose"]
        start = row.get("infusion_start") or row["form_date"]
        end = row.get("infusion_end")
        yield (
            STUDYID,
            "EX",
            usubjid(p["code"]),
            seq,
            row["drug"].upper(),
            row["dose_given_mg"],
            "mg",
            "SOLUTION",
            "INTRAVENOUS",
            row["cycle"],
            row["day"],
            iso8601(start),
            iso8601(end),
            study_day(start, ref),
            study_day(end, ref),
            visit["code"] if visit else None,
            visit["order"] if visit else None,
            split_text(row["deviation_reason"])[0],
        )


def ex() -> Domain:
    variables = (
        *KEYS,
        num("EXSEQ", "Sequence Number"),
        char("EXTRT", "Name of Treatment", 12),
        num("EXDOSE", "Dose"),
        char("EXDOSU", "Dose Units", 2),
        char("EXDOSFRM", "Dose Form", 8),
        char("EXROUTE", "Route of Administration", 11),
        num("EXCYCLE", "Treatment Cycle"),
        num("EXCYDAY", "Day of Treatment Cycle"),
        char("EXSTDTC", "Start Date/Time of Treatment", 16),
        char("EXENDTC", "End Date/Time of Treatment", 16),
        num("EXSTDY", "Study Day of Start of Treatment"),
        num("EXENDY", "Study Day of End of Treatment"),
        char("VISIT", "Visit Name", 12),
        num("VISITNUM", "Visit Number"),
        char("EXADJ", "Reason for Dose Adjustment", 200),
    )
    return Domain("EX", "Exposure", variables, ex_rows)


def _strongest(*relations: str) -> str:
    order = list(AE_RELATION)
    return AE_RELATION[max(relations, key=lambda r: order.index(r) if r in order else -1)]


def ae_records() -> Iterator[tuple[Row, int, Row]]:
    """(patient, AESEQ, adverse event row), shared by AE and SUPPAE."""
    for chunk in chunks(forms=("AE",), extras=(), json_text=UNREAD_JSON):
        for p in chunk.patients:
            for seq, row in enumerate(chunk.rows("AE", p["pk"]), start=1):
                yield p, seq, row


def ae_rows() -> Iterator[tuple[Any, ...]]:
    for p, seq, row in ae_records():
        ref = p["first_dose"]
        criteria = set(row["seriousness"] or [])
        flags = [
            yes_no(key in criteria) if row["serious"] else None for key, _, _ in AE_SERIOUS_FLAGS
        ]
        actions = {AE_ACTION[row["action_ramucirumab"]], AE_ACTION[row["action_dacarbazine"]]}
        yield (
            STUDYID,
            "AE",
            usubjid(p["code"]),
            seq,
            row["term"],
            row["term"],
            iso8601(row["form_date"]),
            iso8601(row["end_date"]),
            study_day(row["form_date"], ref),
            study_day(row["end_date"], ref),
            str(row["grade"]),
            yes_no(row["serious"]),
            *flags,
            _strongest(row["relation_ramucirumab"], row["relation_dacarbazine"]),
            actions.pop() if len(actions) == 1 else "MULTIPLE",
            AE_OUTCOME.get(row["outcome"], "UNKNOWN"),
        )


def ae() -> Domain:
    variables = (
        *KEYS,
        num("AESEQ", "Sequence Number"),
        char("AETERM", "Reported Term for the Adverse Event", 120),
        char("AEDECOD", "Dictionary-Derived Term", 120),
        char("AESTDTC", "Start Date/Time of Adverse Event", 10),
        char("AEENDTC", "End Date/Time of Adverse Event", 10),
        num("AESTDY", "Study Day of Start of Adverse Event"),
        num("AEENDY", "Study Day of End of Adverse Event"),
        char("AETOXGR", "Standard Toxicity Grade", 1),
        char("AESER", "Serious Event", 1),
        *(char(name, label, 1) for _, name, label in AE_SERIOUS_FLAGS),
        char("AEREL", "Causality", 16),
        char("AEACN", "Action Taken with Study Treatment", 16),
        char("AEOUT", "Outcome of Adverse Event", 32),
    )
    return Domain("AE", "Adverse Events", variables, ae_rows)


SUPP_VARIABLES: Final = (
    char("STUDYID", "Study Identifier", 7),
    char("RDOMAIN", "Related Domain Abbreviation", 2),
    char("USUBJID", "Unique Subject Identifier", 20),
    char("IDVAR", "Identifying Variable", 8),
    char("IDVARVAL", "Identifying Variable Value", 8),
    char("QNAM", "Qualifier Variable Name", 8),
    char("QLABEL", "Qualifier Variable Label", 40),
    char("QVAL", "Data Value", 200),
    char("QORIG", "Origin", 8),
    char("QEVAL", "Evaluator", 12),
)
_SUPPAE: Final = (
    ("relation_ramucirumab", "AERELRAM", "Causality to Ramucirumab", AE_RELATION),
    ("relation_dacarbazine", "AERELDAC", "Causality to Dacarbazine", AE_RELATION),
    ("action_ramucirumab", "AEACNRAM", "Action Taken with Ramucirumab", AE_ACTION),
    ("action_dacarbazine", "AEACNDAC", "Action Taken with Dacarbazine", AE_ACTION),
)


def suppae_rows() -> Iterator[tuple[Any, ...]]:
    for p, seq, row in ae_records():
        for field, qnam, qlabel, terms in _SUPPAE:
            yield (
                STUDYID,
                "AE",
                usubjid(p["code"]),
                "AESEQ",
                str(seq),
                qnam,
                qlabel,
                terms[row[field]],
                "CRF",
                "INVESTIGATOR",
            )


def suppae() -> Domain:
    return Domain("SUPPAE", "Supplemental Qualifiers for AE", SUPP_VARIABLES, suppae_rows)


def suppex_rows() -> Iterator[tuple[Any, ...]]:
    """The rest of a reason for dose adjustment longer than EXADJ holds (200 bytes): QNAM
    EXADJ1, EXADJ2, ... in order (SDTMIG v3.4 §4.5.3.2, §8.4)."""
    for p, seq, row, _visit in ex_records():
        _head, rest = split_text(row["deviation_reason"])
        for number, piece in enumerate(rest, start=1):
            yield (
                STUDYID,
                "EX",
                usubjid(p["code"]),
                "EXSEQ",
                str(seq),
                f"EXADJ{number}",
                f"Reason for Dose Adjustment {number}",
                piece,
                "CRF",
                None,
            )


def suppex() -> Domain:
    return Domain("SUPPEX", "Supplemental Qualifiers for EX", SUPP_VARIABLES, suppex_rows)


def cm_rows() -> Iterator[tuple[Any, ...]]:
    categories = dict(PriorTherapy.Category.choices)
    for chunk in chunks(forms=("CM", "PRIOR"), extras=(), json_text=UNREAD_JSON):
        for p in chunk.patients:
            ref = p["first_dose"]
            seq = 0
            for row in chunk.rows("CM", p["pk"]):
                seq += 1
                yield (
                    STUDYID,
                    "CM",
                    usubjid(p["code"]),
                    seq,
                    row["medication"],
                    "CONCOMITANT MEDICATION",
                    None,
                    row["indication"] or None,
                    row["daily_dose"],
                    row["dose_unit"] or None,
                    row["route"].upper() or None,
                    iso8601(row["start_date"]),
                    iso8601(row["end_date"]),
                    study_day(row["start_date"], ref),
                    study_day(row["end_date"], ref),
                    "ONGOING" if row["ongoing"] else None,
                )
            for row in chunk.rows("PRIOR", p["pk"]):
                seq += 1
                yield (
                    STUDYID,
                    "CM",
                    usubjid(p["code"]),
                    seq,
                    row["regimen"] or str(categories.get(row["category"], row["category"])),
                    "PRIOR ANTICANCER THERAPY",
                    str(categories.get(row["category"], "")).upper(),
                    None,
                    None,
                    None,
                    None,
                    iso8601(row["start_date"]),
                    iso8601(row["end_date"]),
                    study_day(row["start_date"], ref),
                    study_day(row["end_date"], ref),
                    None,
                )


def cm() -> Domain:
    variables = (
        *KEYS,
        num("CMSEQ", "Sequence Number"),
        char("CMTRT", "Reported Name of Drug, Med, or Therapy", 200),
        char("CMCAT", "Category for Medication", 24),
        char("CMSCAT", "Subcategory for Medication", 40),
        char("CMINDC", "Indication", 200),
        num("CMDOSE", "Dose per Administration"),
        char("CMDOSU", "Dose Units", 12),
        char("CMROUTE", "Route of Administration", 20),
        char("CMSTDTC", "Start Date/Time of Medication", 10),
        char("CMENDTC", "End Date/Time of Medication", 10),
        num("CMSTDY", "Study Day of Start of Medication"),
        num("CMENDY", "Study Day of End of Medication"),
        char("CMENRF", "End Relative to Reference Period", 8),
    )
    return Domain("CM", "Concomitant/Prior Medications", variables, cm_rows)


def mh_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(forms=("MH",), extras=(), json_text=UNREAD_JSON):
        for p in chunk.patients:
            for seq, row in enumerate(chunk.rows("MH", p["pk"]), start=1):
                yield (
                    STUDYID,
                    "MH",
                    usubjid(p["code"]),
                    seq,
                    row["condition"],
                    iso8601(row["onset"]),
                    iso8601(row["end"]),
                    "ONGOING" if row["ongoing"] else None,
                )


def mh() -> Domain:
    variables = (
        *KEYS,
        num("MHSEQ", "Sequence Number"),
        char("MHTERM", "Reported Term for the Medical History", 200),
        char("MHSTDTC", "Start Date/Time of Medical History Event", 10),
        char("MHENDTC", "End Date/Time of Medical History Event", 10),
        char("MHENRF", "End Relative to Reference Period", 8),
    )
    return Domain("MH", "Medical History", variables, mh_rows)
