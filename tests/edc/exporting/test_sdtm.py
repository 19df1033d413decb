"""SDTM datasets: XPT read back equals the source rows, standard names and terms, limits."""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
import subprocess
from decimal import Decimal

import pytest

from ramunet.edc.crfs.models import Exposure
from ramunet.edc.crfs.services import save_form
from ramunet.edc.exporting.sdtm import sdtm_domains
from tests.edc.exporting.sdtm_support import domain, read_back, written
from tests.edc.exporting.trial import TODAY


def _source(name: str) -> list[dict[str, object]]:
    d = domain(name)
    return [dict(zip(d.header, row, strict=True)) for row in d.rows()]


def _same(read: object, source: object) -> bool:
    if source is None or source == "":
        return read in ("", None) or (isinstance(read, float) and math.isnan(read))
    if isinstance(read, dt.date):  # a SAS date (DATE9.) read back as a date
        return (read - dt.date(1960, 1, 1)).days == source
    if isinstance(source, int | float | Decimal):
        return float(read) == float(source)  # type: ignore[arg-type]
    return read == source


DOMAINS = (
    "DM", "DS", "EX", "SUPPEX", "AE", "SUPPAE", "CM", "MH", "LB", "VS", "QS", "TU", "TR", "RS",
    "ADSL",
)  # fmt: skip


def test_every_domain_of_the_issue_is_written():
    assert tuple(d.name for d in sdtm_domains()) == DOMAINS


@pytest.mark.parametrize("name", DOMAINS)
def test_xpt_read_back_with_pyreadstat_equals_the_source(trial, tmp_path, name):
    xpt, _ = written(tmp_path, name)
    rows, meta = read_back(xpt)
    source = _source(name)
    assert len(rows) == len(source)
    assert list(meta.column_names) == list(domain(name).header)
    for read, expected in zip(rows, source, strict=True):
        assert all(_same(read[key], value) for key, value in expected.items()), (read, expected)


def test_csv_beside_the_xpt_holds_the_same_rows(trial, tmp_path):
    _, csv_path = written(tmp_path, "AE")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["AETERM"] for row in rows] == ["Hypertension"]
    assert rows[0]["USUBJID"] == "RAMUNET-HAL-001"


def test_labels_are_the_sdtm_labels(trial, tmp_path):
    xpt, _ = written(tmp_path, "DM")
    _, meta = read_back(xpt)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["RFSTDTC"] == "Subject Reference Start Date/Time"
    assert meta.table_name == "DM"


def test_adverse_event_uses_controlled_terminology_and_study_days(trial):
    (ae,) = _source("AE")
    assert (ae["AETOXGR"], ae["AESER"], ae["AESHOSP"], ae["AESDTH"]) == ("3", "Y", "Y", "N")
    assert ae["AEOUT"] == "RECOVERED/RESOLVED"
    assert ae["AEREL"] == "PROBABLY RELATED"
    assert ae["AEACN"] == "MULTIPLE"
    assert (ae["AESTDTC"], ae["AESTDY"]) == ("2026-04-05", 21)


def test_per_drug_causality_and_action_go_to_suppae(trial):
    supp = {(r["QNAM"], r["QVAL"]) for r in _source("SUPPAE")}
    assert ("AERELRAM", "PROBABLY RELATED") in supp
    assert ("AEACNRAM", "DRUG INTERRUPTED") in supp
    assert ("AEACNDAC", "DOSE NOT CHANGED") in supp


def test_lab_value_with_missing_code_is_not_done_with_its_reason(trial):
    wbc = [r for r in _source("LB") if r["LBTESTCD"] == "WBC"]
    assert [(r["LBORRES"], r["LBSTAT"], r["LBREASND"]) for r in wbc] == [
        (None, "NOT DONE", "not done")
    ]


def test_lab_day_before_first_dose_is_negative_and_has_no_day_zero(trial):
    hgb = next(r for r in _source("LB") if r["LBTESTCD"] == "HGB")
    assert (hgb["LBDTC"], hgb["LBDY"], hgb["LBORRESU"]) == ("2026-03-13", -3, "g/dL")


def test_responses_are_recist_codes_from_system_and_investigator(trial):
    rows = [r for r in _source("RS") if r["USUBJID"] == "RAMUNET-HAL-001"]
    overall = [
        (r["RSORRES"], r["RSDRVFL"], r["RSEVAL"]) for r in rows if r["RSTESTCD"] == "OVRLRESP"
    ]
    # -20% from baseline is SD by RECIST 1.1; the investigator reported PR
    assert overall[:2] == [("SD", "Y", None), ("PR", None, "INVESTIGATOR")]
    assert {r["RSORRES"] for r in rows} <= {"CR", "PR", "SD", "PD", "NE", "NON-CR/NON-PD", "N"}


def test_tumour_lesions_are_identified_and_measured(trial):
    tu = [(r["TULNKID"], r["TUORRES"], r["TULOC"]) for r in _source("TU")]
    assert tu == [("N1", "NON-TARGET", "BONE"), ("T1", "TARGET", "LIVER"), ("T2", "TARGET", "LUNG")]
    small = [r for r in _source("TR") if r["TRORRES"] == "TOO SMALL TO MEASURE"]
    assert [(r["TRLNKID"], r["TRTESTCD"]) for r in small] == [("T2", "LDIAM")]


def test_adsl_has_one_row_per_patient_with_endpoints(trial):
    rows = {r["USUBJID"]: r for r in _source("ADSL")}
    assert sorted(rows) == ["RAMUNET-HAL-001", "RAMUNET-HAL-002", "RAMUNET-MAR-001"]
    dead = rows["RAMUNET-MAR-001"]
    assert (dead["OSDY"], dead["OSCNSR"], dead["DTHFL"]) == (40, 0, "Y")
    assert rows["RAMUNET-HAL-001"]["TRTSDT"] == 24181  # 2026-03-16 as a SAS date


def test_reason_over_200_bytes_continues_in_suppex_without_loss(trial, tmp_path):
    reason = ("Dosis nach Rücksprache mit der Apotheke angepasst " * 8).strip()
    save_form(
        "system",
        Exposure,
        patient=trial["HAL-002"],
        today=TODAY,
        values={
            "form_date": TODAY,
            "drug": "ramucirumab",
            "cycle": 2,
            "day": 1,
            "weight_kg": Decimal("70.0"),
            "dose_given_mg": Decimal("400.00"),
            "deviation_reason": reason,
        },
    )
    (row,) = [r for r in _source("EX") if r["USUBJID"] == "RAMUNET-HAL-002" and r["EXCYCLE"] == 2]
    supp = [
        r
        for r in _source("SUPPEX")
        if r["USUBJID"] == "RAMUNET-HAL-002" and r["IDVARVAL"] == str(row["EXSEQ"])
    ]
    assert len(str(row["EXADJ"]).encode()) <= 200
    assert [r["QNAM"] for r in supp] == [f"EXADJ{n}" for n in range(1, len(supp) + 1)]
    assert all(len(str(r["QVAL"]).encode()) <= 200 for r in supp)
    assert str(row["EXADJ"]) + "".join(str(r["QVAL"]) for r in supp) == reason
    written(tmp_path, "EX")  # the transport files take them (200-byte limit)
    written(tmp_path, "SUPPEX")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_r_foreign_reads_the_xpt(trial, tmp_path):
    xpt, _ = written(tmp_path, "AE")
    script = (
        'd <- foreign::read.xport(commandArgs(TRUE)[1]); cat(nrow(d), d$AETERM, d$AESTDY, "\\n")'
    )
    out = subprocess.run(
        ["Rscript", "-e", script, str(xpt)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "Hypertension", "21"]
