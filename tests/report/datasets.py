"""Hand-made trial datasets for the report's pure tests (no database): a seeded small trial."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ramunet.report.dataset import (
    AdverseEventRow,
    BiomarkerValue,
    CentreRow,
    CgaValue,
    EndpointRow,
    LabGrade,
    PatientRow,
    QlqScores,
    ScreeningRow,
    TrialDataset,
    TumourPoint,
)

START = dt.date(2019, 6, 1)
CENTRES = (("HAL", "Halle"), ("MAR", "Marburg"), ("BER", "Berlin"))
SCALES = ("QL2", "PF2", "FA", "PA")


def small_trial(
    n: int = 12, *, successes: int | None = None, locked: bool = False, seed: int = 7
) -> TrialDataset:
    """``n`` treated patients (plus one registered, untreated) and two screening failures.

    With ``successes``, exactly the first ``successes`` patients reach disease control at
    month 6; by default every other patient does.
    """
    rng = np.random.default_rng(seed)
    centres = tuple(CentreRow(code, name, START) for code, name in CENTRES)
    screening = [
        ScreeningRow("HAL", 900, START, "failed", ("IN09",)),
        ScreeningRow("MAR", 901, START, "failed", ("declined participation",)),
    ]
    patients, endpoints, tumour, events, labs, cga, qlq, markers = [], [], [], [], [], [], [], []
    for i in range(n + 1):
        centre = CENTRES[i % len(CENTRES)][0]
        code = f"{centre}-{i + 1:03d}"
        registered = START + dt.timedelta(days=20 * i + 5)
        first = None if i == n else registered + dt.timedelta(days=7)
        screening.append(ScreeningRow(centre, i + 1, registered, "registered"))
        success = (i < successes) if successes is not None else (i % 2 == 0)
        eot = None if first is None or i % 3 == 0 else first + dt.timedelta(days=150 + 10 * i)
        patients.append(
            PatientRow(
                code=code,
                centre=centre,
                sex="female" if i % 2 else "male",
                year_of_birth=1950 + i,
                consent_date=registered,
                registered_on=registered,
                first_dose=first,
                status="on_treatment",
                tumour_grade="G2" if i % 2 else "G1",
                ki67_percent=float(3 + i),
                functional_tumour=False,
                liver_metastases=i % 2 == 0,
                ecog_baseline=i % 2,
                end_of_treatment_date=eot,
                end_of_treatment_reason="" if eot is None else "progression",
            )
        )
        if first is None:
            continue
        changes = np.cumsum(rng.normal(-8 if success else 6, 6, 4))
        days = [84, 168, 252, 336]
        for day, change in zip(days, changes, strict=True):
            overall = "PR" if change <= -30 else "PD" if change >= 20 else "SD"
            tumour.append(
                TumourPoint(code, first + dt.timedelta(days=day), overall, round(float(change), 1))
            )
        pfs_event = not success
        endpoints.append(
            EndpointRow(
                patient=code,
                best_response="SD" if success else "PD",
                best_response_confirmed="SD" if success else "PD",
                month6_success=success,
                month6_reason="",
                month6_assessment_date=first + dt.timedelta(days=168),
                progression_date=None if success else first + dt.timedelta(days=168),
                pfs_event=pfs_event,
                pfs_days=168 if pfs_event else 336 + i,
                os_event=i % 4 == 1,
                os_days=400 + 15 * i,
                cga_best_response="stable",
                cycles=6 + i % 3,
                rdi_ramucirumab_pct=90.0 + i % 10,
                rdi_dacarbazine_pct=85.0 + i % 12,
            )
        )
        events.append(
            AdverseEventRow(
                code,
                "Hypertension",
                1 + i % 4,
                first + dt.timedelta(days=20),
                None,
                i % 5 == 0,
                ("hospitalisation",) if i % 5 == 0 else (),
                "possible",
                "unlikely",
                "recovered",
            )
        )
        labs.append(LabGrade(code, "Neutrophil count decreased", 1 + i % 3))
        cga.append(CgaValue(code, first - dt.timedelta(days=3), "chromogranin_a", 300.0, 100.0))
        cga.append(
            CgaValue(
                code,
                first + dt.timedelta(days=84),
                "chromogranin_a",
                300.0 * (0.4 if success else 1.3),
                100.0,
            )
        )
        for day in (-2, 84, 168):
            scores = tuple((s, float(50 + rng.integers(-20, 20))) for s in SCALES)
            qlq.append(QlqScores(code, first + dt.timedelta(days=day), scores))
        markers.append(BiomarkerValue(code, "ki67", float(2 + i), ""))
    return TrialDataset(
        centres=centres,
        screening=tuple(screening),
        patients=tuple(patients),
        endpoints=tuple(endpoints),
        tumour=tuple(tumour),
        adverse_events=tuple(events),
        lab_grades=tuple(labs),
        cga=tuple(cga),
        qlq=tuple(qlq),
        biomarkers=tuple(markers),
        locked=locked,
        audit_seq=123,
        audit_head_hash="ab" * 32,
        data_cutoff=START + dt.timedelta(days=20 * n + 400),
    )
