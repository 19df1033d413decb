"""A small trial entered through the EDC services, for the report's database tests.

Three treated patients at Halle (HAL-001 partial response at month 6, HAL-002 progression at
day 84 with a serious grade-3 event, HAL-003 stable disease at month 6) and one registered
patient at Marburg who never started treatment (MAR-001).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.edc.crfs.models import AdverseEvent, ChromograninA, EndOfTreatment, Exposure
from ramunet.edc.crfs.services import save_form
from ramunet.edc.crfs.tumour import save_baseline_assessment, save_followup_assessment
from tests.factories import make_patient

TODAY = dt.date(2027, 6, 1)
FIRST_DOSE = dt.date(2026, 1, 19)  # factories.make_patient
LESIONS = [
    {"label": "T1", "target": True, "organ": "liver", "diameter_mm": Decimal(30)},
    {"label": "T2", "target": True, "organ": "lung", "diameter_mm": Decimal(20)},
]
#: Days after the first dose and target sizes (T1, T2) per patient's follow-up scans.
SCANS = {
    1: [(84, 20, 12), (168, 18, 10)],  # PR: success
    2: [(84, 40, 25)],  # PD at day 84: failure
    3: [(84, 28, 19), (168, 27, 19)],  # SD: success
}


def day(n: int) -> dt.date:
    return FIRST_DOSE + dt.timedelta(days=n)


def save(actor, model, patient, **values):
    return save_form(actor, model, patient=patient, values=values, today=TODAY).form


@pytest.fixture
def small_trial(centre_a, centre_b, nurse_a, investigator_a):
    """The four patients with their forms; returns them by code."""
    patients = {}
    for sequence, scans in SCANS.items():
        patient = make_patient(centre_a, sequence)
        patients[patient.code] = patient
        save_baseline_assessment(
            nurse_a, patient, form_date=FIRST_DOSE - dt.timedelta(days=7), method="ct",
            lesions=LESIONS, today=TODAY,
        )  # fmt: skip
        for offset, t1, t2 in scans:
            save_followup_assessment(
                nurse_a, patient, form_date=day(offset),
                measurements={"T1": Decimal(t1), "T2": Decimal(t2)}, today=TODAY,
            )  # fmt: skip
        save(nurse_a, Exposure, patient, form_date=FIRST_DOSE, drug="ramucirumab", cycle=1,
             day=1, weight_kg=Decimal("72.5"), dose_given_mg=Decimal("580"))  # fmt: skip
        save(nurse_a, ChromograninA, patient, form_date=FIRST_DOSE - dt.timedelta(days=2),
             value=Decimal("400"), uln=Decimal("100"))  # fmt: skip
        after = Decimal("150") if sequence != 2 else Decimal("600")
        save(nurse_a, ChromograninA, patient, form_date=day(84), value=after, uln=Decimal("100"))
    hal2 = patients["HAL-002"]
    save(investigator_a, AdverseEvent, hal2, form_date=day(30), term="Hypertension", grade=3,
         serious=True, seriousness=["hospitalisation"],
         sae_aware_at=dt.datetime(2026, 2, 19, 9, 0, tzinfo=dt.UTC),
         relation_ramucirumab="probable", relation_dacarbazine="unlikely")  # fmt: skip
    save(nurse_a, EndOfTreatment, hal2, form_date=day(90), last_dose_date=day(70),
         reason="progression")  # fmt: skip
    untreated = make_patient(centre_b, 1, first_dose=None)
    patients[untreated.code] = untreated
    return patients
