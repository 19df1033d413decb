"""Tumour assessments through the service: baseline lesions, follow-up measurements, the
derived RECIST 1.1 time-point response and the investigator-response check."""

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
from ramunet.edc.crfs.models import Discrepancy, Lesion, LesionMeasurement, TumourAssessment
from ramunet.edc.crfs.tumour import (
    save_baseline_assessment,
    save_followup_assessment,
    update_baseline_assessment,
    update_followup_assessment,
)
from tests.factories import make_patient

TODAY = dt.date(2027, 1, 1)
BASELINE_DAY = dt.date(2026, 1, 12)  # first dose 2026-01-19 (factories.make_patient)
LESIONS = [
    {"label": "T1", "target": True, "organ": "liver", "diameter_mm": Decimal(30)},
    {"label": "T2", "target": True, "organ": "lung", "diameter_mm": Decimal(20)},
    {"label": "N1", "target": False, "organ": "bone"},
]


@pytest.fixture
def patient(centre_a):
    return make_patient(centre_a)


@pytest.fixture
def baseline(nurse_a, patient):
    return save_baseline_assessment(
        nurse_a, patient, form_date=BASELINE_DAY, method="ct", lesions=LESIONS, today=TODAY
    ).assessment


def followup(actor, patient, day, t1, t2, **values):
    values.setdefault("non_target", "NON-CR/NON-PD")
    return save_followup_assessment(
        actor, patient, form_date=day, measurements={"T1": t1, "T2": t2}, today=TODAY, **values
    )


def test_baseline_creates_assessment_lesions_and_measurements(baseline, patient):
    assert baseline.baseline is True
    assert list(Lesion.objects.filter(patient=patient).values_list("label", "target")) == [
        ("N1", False),
        ("T1", True),
        ("T2", True),
    ]
    assert LesionMeasurement.objects.filter(assessment=baseline).count() == 2
    assert baseline.derived["sum_diameters_mm"] == "50"
    assert baseline.derived["targets"] == ["T1", "T2"]
    assert audit.verify().ok


def test_sixth_target_lesion_is_refused_with_the_rule(nurse_a, patient):
    organs = ["liver", "lung", "pancreas", "spleen", "adrenal", "kidney"]
    lesions = [
        {"label": f"T{i + 1}", "target": True, "organ": organ, "diameter_mm": Decimal(20)}
        for i, organ in enumerate(organs)
    ]
    with pytest.raises(InvalidInput) as error:
        save_baseline_assessment(
            nurse_a, patient, form_date=BASELINE_DAY, method="ct", lesions=lesions, today=TODAY
        )
    assert str(error.value) == (
        "lesions[5] 'T6': a sixth target lesion; at most 5 in total (RECIST 1.1 §4.2)"
    )
    assert TumourAssessment.objects.count() == 0
    assert Lesion.objects.count() == 0


def test_third_target_in_one_organ_is_refused_naming_the_caller_position(nurse_a, patient):
    lesions = [
        {"label": "N1", "target": False, "organ": "bone"},
        *[
            {"label": f"T{i}", "target": True, "organ": "liver", "diameter_mm": Decimal(15)}
            for i in (1, 2, 3)
        ],
    ]
    with pytest.raises(InvalidInput) as error:
        save_baseline_assessment(
            nurse_a, patient, form_date=BASELINE_DAY, method="ct", lesions=lesions, today=TODAY
        )
    assert str(error.value) == (
        "lesions[3] 'T3': a third target lesion in organ 'liver'; at most 2 per organ, all "
        "lymph nodes counting as one (RECIST 1.1 §4.2)"
    )


def test_non_measurable_target_is_refused(nurse_a, patient):
    lesions = [{"label": "T1", "target": True, "organ": "liver", "diameter_mm": Decimal("9.9")}]
    with pytest.raises(InvalidInput) as error:
        save_baseline_assessment(
            nurse_a, patient, form_date=BASELINE_DAY, method="ct", lesions=lesions, today=TODAY
        )
    assert str(error.value) == (
        "lesions[0].longest_diameter_mm '9.9': not measurable; a non-nodal target "
        "needs a longest diameter >= 10 mm (RECIST 1.1 §3.1)"
    )


def test_baseline_scan_after_the_first_dose_is_refused(nurse_a, patient):
    with pytest.raises(EditCheckFailed) as error:
        save_baseline_assessment(
            nurse_a, patient, form_date=dt.date(2026, 1, 20), method="ct", lesions=LESIONS,
            today=TODAY,
        )  # fmt: skip
    assert str(error.value) == (
        "form_date 2026-01-20: the baseline scan must not be after the first dose 2026-01-19"
    )


def test_second_baseline_is_refused(nurse_a, patient, baseline):
    with pytest.raises(InvalidInput) as error:
        save_baseline_assessment(
            nurse_a, patient, form_date=BASELINE_DAY, method="ct", lesions=LESIONS, today=TODAY
        )
    assert str(error.value) == (
        "baseline: HAL-001 has a baseline tumour assessment already; change that one"
    )


def test_followup_without_baseline_is_refused(nurse_a, patient):
    with pytest.raises(InvalidInput) as error:
        followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    assert str(error.value) == (
        "baseline: HAL-001 has no baseline tumour assessment; enter it first"
    )


def test_followup_derives_sum_changes_and_responses(nurse_a, patient, baseline):
    result = followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    derived = result.assessment.derived
    assert derived["sum_diameters_mm"] == "32"
    assert derived["change_from_baseline_pct"] == "-36"  # (32 - 50) / 50
    assert derived["change_from_nadir_pct"] == "-36"  # nadir = baseline sum 50
    assert (derived["target"], derived["non_target"], derived["overall"]) == (
        "PR",
        "NON-CR/NON-PD",
        "PR",
    )
    assert derived["day"] == 56
    assert result.overall_response == "PR"
    assert LesionMeasurement.objects.filter(assessment=result.assessment).count() == 2


def test_partial_response_then_confirmation(nurse_a, patient, baseline):
    from ramunet.edc.endpoints.models import PatientEndpoints

    followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    row = PatientEndpoints.objects.get(patient=patient)
    assert (row.best_response, row.best_response_confirmed) == ("PR", "SD")
    followup(nurse_a, patient, dt.date(2026, 5, 11), Decimal(18), Decimal(12))  # day 112
    row.refresh_from_db()
    assert (row.best_response, row.best_response_confirmed) == ("PR", "PR")
    assert audit.verify().ok


def test_growth_of_20_percent_and_5_mm_from_the_nadir_is_progression(nurse_a, patient, baseline):
    followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))  # sum 32
    result = followup(nurse_a, patient, dt.date(2026, 5, 11), Decimal(25), Decimal(14))  # 39
    derived = result.assessment.derived
    assert derived["nadir_mm"] == "32"
    assert derived["change_from_nadir_pct"] == "21.9"  # 7 / 32 = 21.875% -> 21.9
    assert derived["change_from_baseline_pct"] == "-22"  # (39 - 50) / 50
    assert (derived["target"], derived["overall"]) == ("PD", "PD")  # 39 >= 1.2 x 32, +7 mm


def test_growth_just_below_20_percent_from_the_nadir_is_stable(nurse_a, patient, baseline):
    followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))  # sum 32
    result = followup(nurse_a, patient, dt.date(2026, 5, 11), Decimal("24.3"), Decimal(14))
    assert result.assessment.derived["sum_diameters_mm"] == "38.3"  # < 1.2 x 32 = 38.4
    assert result.overall_response == "SD"


def test_new_lesion_means_progression(nurse_a, patient, baseline):
    result = followup(
        nurse_a, patient, dt.date(2026, 3, 16), Decimal(29), Decimal(20), new_lesions="unequivocal"
    )
    assert result.assessment.derived["target"] == "SD"
    assert result.overall_response == "PD"


def test_too_small_counts_5_mm_and_missing_target_is_not_assessed(nurse_a, patient, baseline):
    result = save_followup_assessment(
        nurse_a, patient, form_date=dt.date(2026, 3, 16), measurements={"T1": "too small"},
        non_target="NON-CR/NON-PD", today=TODAY,
    )  # fmt: skip
    assert result.assessment.derived["sum_diameters_mm"] == "5"
    assert result.assessment.derived["sum_complete"] is False
    assert result.overall_response == "NE"
    stored = {m.lesion.label: (m.too_small, m.not_assessed) for m in result.measurements}
    assert stored == {"T1": (True, False), "T2": (False, True)}


def test_unknown_lesion_label_is_refused(nurse_a, patient, baseline):
    with pytest.raises(InvalidInput) as error:
        save_followup_assessment(
            nurse_a, patient, form_date=dt.date(2026, 3, 16), measurements={"T9": Decimal(5)},
            today=TODAY,
        )  # fmt: skip
    assert str(error.value) == "measurements 'T9': not a baseline target lesion; expected T1, T2"


def test_measurement_finer_than_a_tenth_mm_is_refused(nurse_a, patient, baseline):
    with pytest.raises(InvalidInput) as error:
        followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal("20.05"), Decimal(12))
    assert str(error.value) == ("measurements['T1'] '20.05': must be recorded to at most 0.1 mm")


def test_followup_on_or_before_the_baseline_is_refused(nurse_a, patient, baseline):
    with pytest.raises(InvalidInput) as error:
        followup(nurse_a, patient, BASELINE_DAY, Decimal(20), Decimal(12))
    assert str(error.value) == (
        "form_date '2026-01-12': must be after the baseline assessment 2026-01-12"
    )


def test_investigator_response_differing_from_the_computed_is_flagged(nurse_a, patient, baseline):
    result = followup(
        nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12), investigator_response="SD"
    )
    assert [d.message for d in result.opened] == [
        "investigator_response SD: differs from the computed RECIST 1.1 overall response PR; "
        "check the measurements or the reported response"
    ]
    assert result.opened[0].rule == "tumour.response_mismatch"


def test_matching_investigator_response_opens_nothing(nurse_a, patient, baseline):
    result = followup(
        nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12), investigator_response="PR"
    )
    assert result.opened == ()


def test_corrected_measurement_closes_the_mismatch(nurse_a, patient, baseline):
    form = followup(
        nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12), investigator_response="SD"
    ).assessment
    result = update_followup_assessment(
        nurse_a, form, expected_version=form.version, reason="transcription error",
        measurements={"T1": Decimal(28), "T2": Decimal(18)}, today=TODAY,
    )  # fmt: skip
    assert result.overall_response == "SD"
    assert [d.rule for d in result.closed] == ["tumour.response_mismatch"]
    assert Discrepancy.objects.get().status == "closed"
    assert audit.verify().ok


def test_update_needs_the_current_version(nurse_a, patient, baseline):
    form = followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12)).assessment
    update_followup_assessment(
        nurse_a, form, expected_version=1, reason="typo", measurements={"T1": Decimal(21)},
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(ConflictError):
        update_followup_assessment(
            nurse_a, form, expected_version=1, reason="typo", measurements={"T1": Decimal(22)},
            today=TODAY,
        )  # fmt: skip


def test_changing_an_earlier_followup_rederives_the_later_ones(nurse_a, patient, baseline):
    first = followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12)).assessment
    later = followup(nurse_a, patient, dt.date(2026, 5, 11), Decimal(25), Decimal(14)).assessment
    update_followup_assessment(
        nurse_a, first, expected_version=first.version, reason="re-read",
        measurements={"T1": Decimal(30), "T2": Decimal(20)}, today=TODAY,
    )  # fmt: skip
    later.refresh_from_db()
    assert later.derived["nadir_mm"] == "50"  # the nadir is the baseline again
    assert later.derived["change_from_nadir_pct"] == "-22"
    assert later.version == 2
    assert audit.verify().ok


def test_changing_a_baseline_diameter_rederives_the_followups(nurse_a, patient, baseline):
    later = followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12)).assessment
    update_baseline_assessment(
        nurse_a, baseline, expected_version=baseline.version, reason="re-measured",
        diameters={"T1": Decimal(40)}, today=TODAY,
    )  # fmt: skip
    later.refresh_from_db()
    baseline.refresh_from_db()
    assert baseline.derived["sum_diameters_mm"] == "60"
    assert later.derived["change_from_baseline_pct"] == "-46.7"  # (32 - 60) / 60
    assert audit.verify().ok


def test_non_target_status_without_baseline_non_targets_is_refused(nurse_a, patient):
    save_baseline_assessment(
        nurse_a, patient, form_date=BASELINE_DAY, method="ct", lesions=LESIONS[:2], today=TODAY
    )
    with pytest.raises(InvalidInput) as error:
        followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    assert str(error.value) == (
        "non_target 'NON-CR/NON-PD': the baseline recorded no non-target lesion; leave it empty"
    )


def test_other_centre_cannot_enter_a_tumour_assessment(investigator_b, patient):
    with pytest.raises(PermissionRefused) as error:
        save_baseline_assessment(
            investigator_b, patient, form_date=BASELINE_DAY, method="ct", lesions=LESIONS,
            today=TODAY,
        )  # fmt: skip
    assert str(error.value) == "investigator.b (investigator) may not enter data at centre HAL"


def test_locked_patient_refuses_a_followup(nurse_a, patient, baseline):
    audit.update(patient, {"locked": True}, actor="system", expected_version=1, reason="lock")
    patient.refresh_from_db()
    with pytest.raises(LockedError):
        followup(nurse_a, patient, dt.date(2026, 3, 16), Decimal(20), Decimal(12))
    assert TumourAssessment.objects.count() == 1


def test_confirmed_equivocal_new_lesion_backdates_progression(nurse_a, patient, baseline):
    early = followup(
        nurse_a, patient, dt.date(2026, 3, 16), Decimal(29), Decimal(20), new_lesions="equivocal"
    ).assessment
    assert early.derived["overall"] == "SD"
    followup(
        nurse_a, patient, dt.date(2026, 5, 11), Decimal(29), Decimal(20),
        new_lesions="unequivocal", equivocal_confirmed_from=dt.date(2026, 3, 16),
    )  # fmt: skip
    early.refresh_from_db()
    assert (early.derived["overall"], early.derived["backdated_progression"]) == ("PD", True)
    assert audit.verify().ok


def test_generic_form_service_refuses_a_tumour_assessment_without_its_lesions(nurse_a, patient):
    from ramunet.edc.crfs.services import save_form

    with pytest.raises(InvalidInput) as error:
        save_form(nurse_a, TumourAssessment, patient=patient, values={"form_date": BASELINE_DAY})
    assert error.value.field == "form"
    assert "own service (ramunet.edc.crfs.tumour)" in str(error.value)
    assert TumourAssessment.objects.count() == 0
