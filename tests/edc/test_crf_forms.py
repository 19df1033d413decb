"""Saving eCRFs through the service: derivations, hard and soft edit checks, audit, locks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import (
    ConflictError,
    EditCheckFailed,
    InvalidInput,
    LockedError,
    PermissionRefused,
)
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import (
    AdverseEvent,
    Discrepancy,
    Exposure,
    Haematology,
    VitalSigns,
)
from ramunet.edc.crfs.services import save_form
from ramunet.edc.sites import services as site_services
from tests.factories import make_patient

TODAY = dt.date(2026, 2, 1)


@pytest.fixture
def patient(centre_a):
    site_services.add_reference_range(
        "system", centre_a, analyte="anc", unit="10^9/L", lln=Decimal("1.8"),
        uln=Decimal("7.5"), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    site_services.add_reference_range(
        "system", centre_a, analyte="platelets", unit="/uL", lln=Decimal(150000),
        uln=Decimal(400000), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    return make_patient(centre_a)


def save_haem(user, patient, **values):
    values.setdefault("form_date", dt.date(2026, 1, 19))
    return save_form(user, Haematology, patient=patient, values=values, today=TODAY)


def test_lab_value_is_graded_and_flagged_against_the_centre_range(nurse_a, patient):
    result = save_haem(nurse_a, patient, anc=Decimal("0.8"), platelets=Decimal("180"))
    anc = result.form.derived["anc"]
    assert anc["flag"] == "L"
    assert anc["worst_grade"] == 3
    assert anc["ctcae"][0]["term"] == "Neutrophil count decreased"
    # the centre's platelet range is in /uL; it is converted to the value's unit (10^9/L)
    assert result.form.derived["platelets"]["flag"] == "N"
    assert result.form.derived["platelets"]["lln"] == "150"


def test_grade3_lab_without_adverse_event_opens_a_discrepancy(nurse_a, patient):
    result = save_haem(nurse_a, patient, anc=Decimal("0.8"))
    assert [d.rule for d in result.opened] == ["lab.grade3_without_ae"]
    assert result.opened[0].message == (
        "anc: CTCAE grade 3 Neutrophil count decreased on 2026-01-19 has no matching adverse "
        "event; record one or explain"
    )


def test_matching_adverse_event_closes_the_lab_discrepancy(nurse_a, investigator_a, patient):
    save_haem(nurse_a, patient, anc=Decimal("0.8"))
    save_form(
        investigator_a, AdverseEvent, patient=patient, today=TODAY,
        values={
            "form_date": dt.date(2026, 1, 19), "term": "Neutrophil count decreased", "grade": 3,
            "relation_ramucirumab": "possible", "relation_dacarbazine": "probable",
        },
    )  # fmt: skip
    statuses = list(Discrepancy.objects.values_list("rule", "status"))
    assert statuses == [("lab.grade3_without_ae", "closed")]


def test_adverse_event_graded_below_the_lab_grade_is_flagged(investigator_a, nurse_a, patient):
    save_haem(nurse_a, patient, anc=Decimal("0.4"))  # grade 4
    result = save_form(
        investigator_a, AdverseEvent, patient=patient, today=TODAY,
        values={
            "form_date": dt.date(2026, 1, 18), "term": "Neutrophil count decreased", "grade": 2,
            "relation_ramucirumab": "possible", "relation_dacarbazine": "possible",
        },
    )  # fmt: skip
    assert [d.rule for d in result.opened] == ["ae.below_lab_grade"]


def test_negative_count_is_refused_with_field_and_rule_and_nothing_saved(nurse_a, patient):
    before = AuditRecord.objects.count()
    with pytest.raises(EditCheckFailed) as error:
        save_haem(nurse_a, patient, anc=Decimal("-1"))
    assert error.value.field == "anc"
    assert str(error.value) == "anc -1: must not be negative"
    assert Haematology.objects.count() == 0
    assert AuditRecord.objects.count() == before


def test_unknown_unit_is_refused(nurse_a, patient):
    with pytest.raises(InvalidInput) as error:
        save_haem(nurse_a, patient, anc=Decimal("2"), anc_unit="kg")
    assert str(error.value) == (
        "anc_unit 'kg': unit not recognised; expected one of 10^9/L, 10^3/uL, /mm3, /uL"
    )


def test_missing_code_is_kept_apart_from_a_value(nurse_a, patient):
    result = save_haem(nurse_a, patient, anc=Decimal("2.5"), missing={"platelets": "ND"})
    assert result.form.platelets is None
    assert result.form.missing == {"platelets": "ND"}
    with pytest.raises(EditCheckFailed) as error:
        save_haem(nurse_a, patient, anc=Decimal("2.5"), missing={"anc": "ND"})
    assert str(error.value) == "anc: has both a value and the missing code ND"


def test_unknown_missing_code_is_refused(nurse_a, patient):
    with pytest.raises(EditCheckFailed) as error:
        save_haem(nurse_a, patient, missing={"anc": "XX"})
    assert str(error.value) == "missing.anc 'XX': expected one of NA, ND, UNK"


def test_unknown_field_is_refused(nurse_a, patient):
    with pytest.raises(InvalidInput) as error:
        save_haem(nurse_a, patient, neutrophils=Decimal("2"))
    assert error.value.field == "neutrophils"


def test_other_centre_cannot_enter_data(investigator_b, patient):
    with pytest.raises(PermissionRefused) as error:
        save_haem(investigator_b, patient, anc=Decimal("2"))
    assert str(error.value) == "investigator.b (investigator) may not enter data at centre HAL"


def test_monitor_cannot_enter_data(monitor, patient):
    with pytest.raises(PermissionRefused):
        save_haem(monitor, patient, anc=Decimal("2"))


def test_change_needs_a_reason_and_records_old_and_new(nurse_a, patient):
    form = save_haem(nurse_a, patient, anc=Decimal("2.5")).form
    with pytest.raises(InvalidInput):
        save_form(nurse_a, Haematology, patient=patient, instance=form,
                  values={"anc": Decimal("2.6")}, expected_version=1, today=TODAY)  # fmt: skip
    save_form(nurse_a, Haematology, patient=patient, instance=form, values={"anc": Decimal("2.6")},
              expected_version=1, reason="transcription error", today=TODAY)  # fmt: skip
    last = audit.history("crfs.Haematology", str(form.pk))
    entries = list(last)
    assert entries[-1]["changes"]["anc"] == ["2.5", "2.6"]
    assert entries[-1]["reason"] == "transcription error"


def test_concurrent_edit_gets_a_conflict(nurse_a, investigator_a, patient):
    form = save_haem(nurse_a, patient, anc=Decimal("2.5")).form
    save_form(
        investigator_a,
        Haematology,
        patient=patient,
        instance=form,
        values={"anc": Decimal("2.7")},
        expected_version=1,
        reason="a",
        today=TODAY,
    )
    with pytest.raises(ConflictError) as error:
        save_form(
            nurse_a,
            Haematology,
            patient=patient,
            instance=form,
            values={"anc": Decimal("2.6")},
            expected_version=1,
            reason="b",
            today=TODAY,
        )
    assert "investigator.a changed this record" in str(error.value)
    assert Haematology.objects.get(pk=form.pk).anc == Decimal("2.7")


def test_dose_deviation_over_10_percent_needs_a_reason(nurse_a, patient):
    values = {
        "form_date": dt.date(2026, 1, 19), "drug": "ramucirumab", "cycle": 1, "day": 1,
        "weight_kg": Decimal("72.5"), "dose_given_mg": Decimal("640"),
    }  # fmt: skip
    with pytest.raises(EditCheckFailed) as error:
        save_form(nurse_a, Exposure, patient=patient, values=values, today=TODAY)
    assert str(error.value) == (
        "dose_given_mg 640: 10.3% above the computed 580.00 mg; a reason for the deviation "
        "is required"
    )
    values["deviation_reason"] = "rounded to full vials by pharmacy"
    result = save_form(nurse_a, Exposure, patient=patient, values=values, today=TODAY)
    assert result.form.computed_dose_mg == Decimal("580.00")
    assert result.form.derived["dose"]["formula"].startswith("8 mg/kg")


def test_dose_exactly_10_percent_off_needs_no_reason(nurse_a, patient):
    values = {
        "form_date": dt.date(2026, 1, 19), "drug": "ramucirumab", "cycle": 1, "day": 1,
        "weight_kg": Decimal("72.5"), "dose_given_mg": Decimal("638"),
    }  # fmt: skip
    assert save_form(nurse_a, Exposure, patient=patient, values=values, today=TODAY).form.pk


def test_dacarbazine_on_day_15_is_refused(nurse_a, patient):
    values = {
        "form_date": dt.date(2026, 2, 2), "drug": "dacarbazine", "cycle": 1, "day": 15,
        "weight_kg": Decimal("70"), "height_cm": Decimal("170"),
    }  # fmt: skip
    with pytest.raises(EditCheckFailed) as error:
        save_form(nurse_a, Exposure, patient=patient, values=values, today=dt.date(2026, 3, 1))
    assert str(error.value) == "day 15: dacarbazine is given on day 1 only"


def test_hypertension_is_graded_from_the_blood_pressure(nurse_a, patient):
    result = save_form(
        nurse_a, VitalSigns, patient=patient, today=TODAY,
        values={"form_date": dt.date(2026, 1, 19), "systolic_mmhg": 165, "diastolic_mmhg": 95},
    )  # fmt: skip
    assert result.form.derived["hypertension"]["grade"] == 3


def test_diastolic_above_systolic_is_refused(nurse_a, patient):
    with pytest.raises(EditCheckFailed) as error:
        save_form(nurse_a, VitalSigns, patient=patient, today=TODAY,
                  values={"form_date": dt.date(2026, 1, 19), "systolic_mmhg": 80,
                          "diastolic_mmhg": 90})  # fmt: skip
    assert str(error.value) == "diastolic_mmhg 90: must be below systolic 80"


def test_serious_adverse_event_needs_criteria_and_the_awareness_time(investigator_a, patient):
    values = {
        "form_date": dt.date(2026, 1, 25), "term": "Febrile neutropenia", "grade": 3,
        "serious": True, "relation_ramucirumab": "possible", "relation_dacarbazine": "probable",
    }  # fmt: skip
    with pytest.raises(EditCheckFailed) as error:
        save_form(investigator_a, AdverseEvent, patient=patient, values=values, today=TODAY)
    assert error.value.field == "seriousness"
    values["seriousness"] = ["hospitalisation"]
    with pytest.raises(EditCheckFailed) as error:
        save_form(investigator_a, AdverseEvent, patient=patient, values=values, today=TODAY)
    assert error.value.field == "sae_aware_at"


def test_unknown_adverse_event_term_is_refused(investigator_a, patient):
    values = {
        "form_date": dt.date(2026, 1, 25), "term": "Feeling blue", "grade": 1,
        "relation_ramucirumab": "unlikely", "relation_dacarbazine": "unlikely",
    }  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        save_form(investigator_a, AdverseEvent, patient=patient, values=values, today=TODAY)
    assert error.value.field == "term"


def test_locked_patient_refuses_every_save(nurse_a, patient):
    audit.update(patient, {"locked": True}, actor="system", expected_version=1, reason="lock")
    patient.refresh_from_db()
    with pytest.raises(LockedError) as error:
        save_haem(nurse_a, patient, anc=Decimal("2"))
    assert str(error.value) == "patient HAL-001 is locked"


def test_form_date_in_the_future_is_refused(nurse_a, patient):
    with pytest.raises(EditCheckFailed) as error:
        save_haem(nurse_a, patient, anc=Decimal("2"), form_date=dt.date(2026, 3, 1))
    assert str(error.value) == "form_date 2026-03-01: lies in the future"


def test_audit_trail_stays_intact_after_a_scripted_session(nurse_a, investigator_a, patient):
    form = save_haem(nurse_a, patient, anc=Decimal("0.8")).form
    save_form(nurse_a, Haematology, patient=patient, instance=form, values={"anc": Decimal("1.9")},
              expected_version=1, reason="typo", today=TODAY)  # fmt: skip
    result = audit.verify()
    assert result.ok, result.problems
    # one record per write: the form's create and update, the discrepancy's open and close
    actions = list(
        AuditRecord.objects.filter(patient="HAL-001", action__startswith="crf.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "crf.haem.created",
        "crf.discrepancy.opened",
        "crf.haem.updated",
        "crf.discrepancy.closed",
    ]


def _day1(drug: str) -> dict:
    return {
        "form_date": dt.date(2026, 1, 19), "drug": drug, "cycle": 1, "day": 1,
        "weight_kg": Decimal("70"), "height_cm": Decimal("170"),
    }  # fmt: skip


def test_both_drugs_of_day_1_are_entered_at_the_same_visit(nurse_a, patient):
    from ramunet.edc.visits import services as visits

    visits.generate_calendar("system", patient, patient.first_dose)
    c1d1 = patient.visits.get(code="C1D1")
    for drug in ("ramucirumab", "dacarbazine"):
        save_form(nurse_a, Exposure, patient=patient, visit=c1d1, values=_day1(drug), today=TODAY)
    assert sorted(Exposure.objects.filter(visit=c1d1).values_list("drug", flat=True)) == [
        "dacarbazine",
        "ramucirumab",
    ]


def test_second_administration_of_one_drug_at_one_visit_is_refused(nurse_a, patient):
    from ramunet.edc.visits import services as visits

    visits.generate_calendar("system", patient, patient.first_dose)
    c1d1 = patient.visits.get(code="C1D1")
    values = _day1("dacarbazine")
    save_form(nurse_a, Exposure, patient=patient, visit=c1d1, values=values, today=TODAY)
    with pytest.raises(InvalidInput) as error:
        save_form(nurse_a, Exposure, patient=patient, visit=c1d1, values=values, today=TODAY)
    assert str(error.value) == (
        "drug: HAL-001 has a EXPOSURE form for C1D1 with drug dacarbazine already; "
        "change that form instead"
    )
    assert Exposure.objects.filter(visit=c1d1).count() == 1
