"""Patient-level endpoints recomputed through the EDC services (PROTOCOL-NOTES.md
"Endpoints"): best response, month-6 disease control, PFS, OS, dose intensity, CgA, QoL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import (
    ChromograninA,
    Death,
    Exposure,
    FollowUp,
    Haematology,
    QlqC30,
)
from ramunet.edc.crfs.services import save_form
from ramunet.edc.crfs.tumour import save_baseline_assessment, save_followup_assessment
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.endpoints.services import recompute
from tests.factories import make_patient

TODAY = dt.date(2027, 6, 1)
FIRST_DOSE = dt.date(2026, 1, 19)  # factories.make_patient
LESIONS = [
    {"label": "T1", "target": True, "organ": "liver", "diameter_mm": Decimal(30)},
    {"label": "T2", "target": True, "organ": "lung", "diameter_mm": Decimal(20)},
]


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


@pytest.fixture
def baseline(nurse_a, patient):
    return save_baseline_assessment(
        nurse_a, patient, form_date=dt.date(2026, 1, 12), method="ct", lesions=LESIONS,
        today=TODAY,
    )  # fmt: skip


def scan(actor, patient, day, t1, t2, **values):
    return save_followup_assessment(
        actor, patient, form_date=day, measurements={"T1": t1, "T2": t2}, today=TODAY, **values
    )


def endpoints(patient):
    return PatientEndpoints.objects.get(patient=patient)


def save(actor, model, patient, **values):
    return save_form(actor, model, patient=patient, values=values, today=TODAY)


def test_month6_disease_control_success_with_partial_response(nurse_a, patient, baseline):
    scan(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))  # day 56 PR
    scan(nurse_a, patient, dt.date(2026, 5, 11), Decimal(18), Decimal(12))  # day 112 PR
    scan(nurse_a, patient, dt.date(2026, 7, 6), Decimal(18), Decimal(10))  # day 168 PR
    row = endpoints(patient)
    assert row.month6_success is True
    assert row.month6_reason == "PR at the month-6 assessment on 2026-07-06 (day 168)"
    assert row.month6_assessment_date == dt.date(2026, 7, 6)
    assert (row.best_response, row.best_response_confirmed) == ("PR", "PR")
    assert row.pfs_event is False
    assert (row.pfs_date, row.pfs_days) == (dt.date(2026, 7, 6), 168)
    assert audit.verify().ok


def test_month6_assessment_on_day_153_is_outside_the_window(nurse_a, patient, baseline):
    scan(nurse_a, patient, dt.date(2026, 6, 21), Decimal(29), Decimal(20))  # day 153 SD
    row = endpoints(patient)
    assert row.month6_success is False
    assert row.month6_reason == "no evaluable assessment between day 154 and day 182"


def test_month6_assessment_on_day_154_counts(nurse_a, patient, baseline):
    scan(nurse_a, patient, dt.date(2026, 6, 22), Decimal(29), Decimal(20))  # day 154 SD
    row = endpoints(patient)
    assert row.month6_success is True
    assert row.month6_reason == "SD at the month-6 assessment on 2026-06-22 (day 154)"


def test_month6_failure_after_progression_by_a_new_lesion(nurse_a, patient, baseline):
    scan(
        nurse_a, patient, dt.date(2026, 3, 16), Decimal(29), Decimal(20), new_lesions="unequivocal"
    )
    row = endpoints(patient)
    assert row.month6_success is False
    assert row.month6_reason == ("progression on 2026-03-16 (day 56) before the month-6 assessment")
    assert (row.best_response, row.progression_date) == ("PD", dt.date(2026, 3, 16))
    assert (row.pfs_event, row.pfs_days, row.pfs_reason) == (True, 56, "progression")
    assert audit.verify().ok


def test_death_gives_the_os_event_and_ends_pfs(nurse_a, investigator_a, patient, baseline):
    scan(nurse_a, patient, dt.date(2026, 3, 16), Decimal(29), Decimal(20))  # SD
    save(investigator_a, Death, patient, form_date=dt.date(2026, 5, 2),
         death_date=dt.date(2026, 4, 29), cause="progression")  # fmt: skip
    row = endpoints(patient)
    # 2026-01-19 to 2026-04-29: 31 + 28 + 31 + 10 = 100 days
    assert (row.os_event, row.os_date, row.os_days) == (True, dt.date(2026, 4, 29), 100)
    assert (row.pfs_event, row.pfs_date, row.pfs_reason) == (True, dt.date(2026, 4, 29), "death")
    assert row.month6_success is False
    assert row.month6_reason == "death on 2026-04-29 (day 100) before the month-6 assessment"
    assert audit.verify().ok


def test_death_after_the_month6_window_without_assessment_is_no_evaluable_assessment(
    investigator_a, patient, baseline
):
    save(investigator_a, Death, patient, form_date=dt.date(2026, 9, 3),
         death_date=dt.date(2026, 9, 1), cause="progression")  # fmt: skip
    row = endpoints(patient)
    # 2026-01-19 to 2026-09-01: 12 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 1 = 225 days
    assert (row.os_event, row.os_days) == (True, 225)
    assert row.month6_reason == "no evaluable assessment between day 154 and day 182"


def test_os_is_censored_at_the_last_follow_up_contact_alive(nurse_a, patient, baseline):
    save(nurse_a, FollowUp, patient, form_date=dt.date(2026, 10, 1), vital_status="alive")
    row = endpoints(patient)
    assert (row.os_event, row.os_date, row.os_days) == (False, dt.date(2026, 10, 1), 255)
    assert row.os_reason == "censored at the last contact alive (FOLLOWUP contact (alive))"


def test_a_later_lab_form_moves_the_last_contact(nurse_a, patient, baseline):
    save(nurse_a, FollowUp, patient, form_date=dt.date(2026, 10, 1), vital_status="alive")
    save(nurse_a, Haematology, patient, form_date=dt.date(2026, 10, 20), anc=Decimal("2.5"))
    row = endpoints(patient)
    assert (row.os_date, row.os_reason) == (
        dt.date(2026, 10, 20),
        "censored at the last contact alive (HAEM form)",
    )


def test_progression_reported_at_follow_up_is_a_pfs_event(nurse_a, patient, baseline):
    scan(nurse_a, patient, dt.date(2026, 3, 16), Decimal(29), Decimal(20))  # SD
    save(nurse_a, FollowUp, patient, form_date=dt.date(2026, 8, 20), vital_status="alive",
         progression=True, progression_date=dt.date(2026, 8, 10))  # fmt: skip
    row = endpoints(patient)
    assert (row.pfs_event, row.pfs_date, row.pfs_days) == (True, dt.date(2026, 8, 10), 203)
    assert row.progression_date == dt.date(2026, 8, 10)


def test_pfs_without_tumour_assessment_is_censored_at_the_first_dose(nurse_a, patient):
    save(nurse_a, FollowUp, patient, form_date=dt.date(2026, 3, 1), vital_status="alive")
    row = endpoints(patient)
    assert (row.pfs_event, row.pfs_date, row.pfs_days) == (False, FIRST_DOSE, 0)
    assert row.best_response == "NE"
    assert row.month6_reason == (
        "no evaluable assessment between day 154 and day 182 (no baseline tumour assessment)"
    )


def exposure(actor, patient, drug, cycle, day, given, **values):
    start = FIRST_DOSE + dt.timedelta(days=28 * (cycle - 1) + day - 1)
    values |= {"form_date": start, "drug": drug, "cycle": cycle, "day": day,
               "weight_kg": Decimal("72.5"), "dose_given_mg": Decimal(given)}  # fmt: skip
    if drug == "dacarbazine":
        values |= {"weight_kg": Decimal(70), "height_cm": Decimal(170)}
    return save_form(actor, Exposure, patient=patient, values=values, today=TODAY)


def test_dose_intensity_per_drug_over_the_cycles_given(nurse_a, patient):
    reason = {"deviation_reason": "dose reduced for toxicity"}
    exposure(nurse_a, patient, "ramucirumab", 1, 1, "580")  # 8 mg/kg x 72.5 kg = 580 mg
    exposure(nurse_a, patient, "ramucirumab", 1, 15, "500", **reason)
    exposure(nurse_a, patient, "ramucirumab", 2, 1, "580")  # C2D15 not given
    # 650 mg/m2 x Mosteller sqrt(170 x 70 / 3600) = 1.818119 m2 = 1181.78 mg
    exposure(nurse_a, patient, "dacarbazine", 1, 1, "1181.78")
    exposure(nurse_a, patient, "dacarbazine", 2, 1, "1000", **reason)
    intensity = endpoints(patient).dose_intensity
    assert intensity["cycles"] == 2
    # planned 4 x 580 = 2320 mg; given 580 + 500 + 580 = 1660 mg; 1660 / 2320 = 0.71552
    assert intensity["ramucirumab"]["planned_mg"] == "2320"
    assert intensity["ramucirumab"]["given_mg"] == "1660"
    assert intensity["ramucirumab"]["relative_dose_intensity"] == "0.716"
    assert intensity["ramucirumab"]["percent"] == "71.6"
    # planned 2 x 1181.78 = 2363.56 mg; given 2181.78 mg; 2181.78 / 2363.56 = 0.92309
    assert intensity["dacarbazine"]["planned_mg"] == "2363.56"
    assert intensity["dacarbazine"]["relative_dose_intensity"] == "0.923"
    assert intensity["dacarbazine"]["percent"] == "92.3"
    assert audit.verify().ok


def test_cga_best_response_from_the_baseline_value(nurse_a, patient):
    values = {"unit": "ng/mL", "uln": Decimal(100)}
    save(
        nurse_a,
        ChromograninA,
        patient,
        form_date=dt.date(2026, 1, 15),
        value=Decimal(400),
        **values,
    )
    save(
        nurse_a,
        ChromograninA,
        patient,
        form_date=dt.date(2026, 3, 16),
        value=Decimal(300),
        **values,
    )
    save(
        nurse_a,
        ChromograninA,
        patient,
        form_date=dt.date(2026, 5, 11),
        value=Decimal(200),
        **values,
    )
    row = endpoints(patient)
    assert row.cga_best_response == "response"  # 400 -> 200: -50.0%, inclusive
    assert row.cga["best_change_pct"] == "-50"
    assert row.cga["best_date"] == "2026-05-11"


def qlq(day, answer):
    return {"form_date": day} | {f"q{n}": (answer if n < 29 else 4) for n in range(1, 31)}


def test_qol_change_from_baseline_per_scale(nurse_a, patient):
    save(nurse_a, QlqC30, patient, **qlq(dt.date(2026, 1, 15), 1))
    save(nurse_a, QlqC30, patient, **qlq(dt.date(2026, 3, 16), 2))
    change = endpoints(patient).qol_change
    assert change["baseline_date"] == "2026-01-15"
    # PF2: all 1 -> 100; all 2 -> (1 - 1/3) x 100 = 66.67; change -33.33 (worse)
    assert change["scales"]["PF2"] == {
        "baseline": "100", "last": "66.67", "change": "-33.33", "classification": "worsened",
    }  # fmt: skip
    # FA: all 1 -> 0; all 2 -> 33.33 (symptom: higher is worse)
    assert change["scales"]["FA"]["classification"] == "worsened"
    assert change["scales"]["QL2"]["change"] == "0"


def test_recompute_writes_nothing_when_nothing_changed(nurse_a, patient, baseline):
    scan(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    before = AuditRecord.objects.count()
    row = recompute(patient, source="a test")
    assert AuditRecord.objects.count() == before
    assert row.version == endpoints(patient).version


def test_recomputation_is_audited_as_system_with_its_source(nurse_a, patient, baseline):
    result = scan(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    last = AuditRecord.objects.filter(action="endpoints.recomputed").order_by("seq").last()
    assert last.actor == "system"
    assert last.reason == f"recomputed from TUMOUR form #{result.assessment.pk} created"
    provenance = endpoints(patient).provenance
    assert provenance["software"].startswith("ramunet ")
    assert provenance["inputs"]["first_dose"] == "2026-01-19"
    assert "computed_at" in provenance


def test_patient_without_a_first_dose_is_not_in_the_analysis_set(nurse_a, centre_a):
    patient = make_patient(centre_a, 2, first_dose=None)
    save(nurse_a, Death, patient, form_date=dt.date(2026, 2, 3), death_date=dt.date(2026, 2, 1),
         cause="other")  # fmt: skip
    row = endpoints(patient)
    assert row.os_event is None
    assert row.os_reason == "no first dose: not in the analysis set (PROTOCOL-NOTES.md 'Endpoints')"


def test_recompute_reads_the_same_queries_however_many_other_patients(nurse_a, centre_a, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            recompute(patient, source="a test")
        return len(captured)

    save(nurse_a, FollowUp, patient, form_date=dt.date(2026, 3, 1), vital_status="alive")
    alone = queries()
    other = make_patient(centre_a, 2)
    for month in range(2, 6):
        save(nurse_a, FollowUp, other, form_date=dt.date(2026, month, 1), vital_status="alive")
    assert queries() == alone
