"""Lesion entry: running sum, % change and the time-point response (RECIST 1.1)."""

from __future__ import annotations

from ramunet.edc.crfs.models import Lesion, TumourAssessment
from tests.edc.web.conftest import form_url

BASELINE = {
    "form_date": "2026-03-10",
    "method": "ct",
    "lesion0_label": "T1",
    "lesion0_target": "on",
    "lesion0_organ": "liver",
    "lesion0_mm": "30",
    "lesion1_label": "T2",
    "lesion1_target": "on",
    "lesion1_organ": "liver",
    "lesion1_mm": "20",
    "lesion2_label": "N1",
    "lesion2_organ": "lung",
}


def test_baseline_preview_shows_the_running_sum(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    fragment = client.post(
        f"/site/patients/{patient_a.code}/visits/{c1d1.pk}/tumour/preview/", BASELINE
    ).content.decode()
    assert '<strong id="sum-mm">50.0 mm</strong>' in fragment


def test_baseline_with_lesions_is_saved(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    response = client.post(form_url(patient_a, c1d1, "TUMOUR"), BASELINE)
    assert response.status_code == 302
    assert TumourAssessment.objects.get().baseline
    assert sorted(Lesion.objects.values_list("label", flat=True)) == ["N1", "T1", "T2"]


def test_followup_preview_computes_change_and_partial_response(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    client.post(form_url(patient_a, c1d1, "TUMOUR"), BASELINE)
    fragment = client.post(
        f"/site/patients/{patient_a.code}/visits/{c1d1.pk}/tumour/preview/",
        {
            "form_date": "2026-05-10",
            "mm_T1": "20",
            "mm_T2": "10",
            "non_target": "NON-CR/NON-PD",
            "new_lesions": "none",
        },
    ).content.decode()
    assert '<strong id="sum-mm">30.0 mm</strong>' in fragment
    assert "-40" in fragment
    assert '<strong id="overall">PR</strong>' in fragment


def test_too_many_targets_per_organ_is_explained(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    rows = dict(BASELINE)
    rows.update({"lesion2_label": "T3", "lesion2_target": "on", "lesion2_mm": "15"})
    rows["lesion2_organ"] = "liver"
    response = client.post(form_url(patient_a, c1d1, "TUMOUR"), rows)
    assert response.status_code == 400
    assert "liver" in response.content.decode()
    assert not TumourAssessment.objects.exists()


def test_followup_is_saved_with_its_computed_response(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    client.post(form_url(patient_a, c1d1, "TUMOUR"), BASELINE)
    response = client.post(
        form_url(patient_a, c1d1, "TUMOUR"),
        {
            "form_date": "2026-05-10",
            "mm_T1": "20",
            "mm_T2": "10",
            "non_target": "NON-CR/NON-PD",
            "new_lesions": "none",
            "investigator_response": "PR",
        },
    )
    assert response.status_code == 302
    followup = TumourAssessment.objects.get(baseline=False)
    assert followup.derived["overall"] == "PR"
    page = client.get(response["Location"]).content.decode()
    assert "-40" in page.split("<tbody>")[1].split("</tbody>")[0]


def _followup(client, patient, visit):
    client.post(form_url(patient, visit, "TUMOUR"), BASELINE)
    client.post(
        form_url(patient, visit, "TUMOUR"),
        {"form_date": "2026-05-10", "mm_T1": "20", "mm_T2": "10",
         "non_target": "NON-CR/NON-PD", "new_lesions": "none"},
    )  # fmt: skip
    return TumourAssessment.objects.get(baseline=False)


def test_followup_correction_needs_a_reason(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    followup = _followup(client, patient_a, c1d1)
    response = client.post(
        form_url(patient_a, c1d1, "TUMOUR") + f"?instance={followup.pk}",
        {"instance": followup.pk, "version": followup.version, "form_date": "2026-05-10",
         "mm_T1": "30", "mm_T2": "20", "non_target": "NON-CR/NON-PD", "new_lesions": "none"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "reason: a reason is required to change a saved form" in response.content.decode()


def test_followup_correction_recomputes_the_response(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    followup = _followup(client, patient_a, c1d1)
    page = client.get(form_url(patient_a, c1d1, "TUMOUR") + f"?instance={followup.pk}")
    assert 'name="mm_T1" value="20.0"' in page.content.decode()
    response = client.post(
        form_url(patient_a, c1d1, "TUMOUR") + f"?instance={followup.pk}",
        {"instance": followup.pk, "version": followup.version, "form_date": "2026-05-10",
         "mm_T1": "30", "mm_T2": "20", "non_target": "NON-CR/NON-PD", "new_lesions": "none",
         "reason": "T1 re-measured"},
    )  # fmt: skip
    assert response.status_code == 302
    assert TumourAssessment.objects.get(pk=followup.pk).derived["overall"] == "SD"


def test_baseline_correction_changes_the_sum(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    client.post(form_url(patient_a, c1d1, "TUMOUR"), BASELINE)
    baseline = TumourAssessment.objects.get()
    fragment = client.post(
        f"/site/patients/{patient_a.code}/visits/{c1d1.pk}/tumour/preview/",
        {"instance": baseline.pk, "form_date": "2026-03-10", "mm_T1": "35", "mm_T2": "20"},
    ).content.decode()
    assert '<strong id="sum-mm">55.0 mm</strong>' in fragment
    client.post(
        form_url(patient_a, c1d1, "TUMOUR") + f"?instance={baseline.pk}",
        {"instance": baseline.pk, "version": baseline.version, "form_date": "2026-03-10",
         "method": "ct", "mm_T1": "35", "mm_T2": "20", "reason": "T1 re-read"},
    )  # fmt: skip
    assert TumourAssessment.objects.get(pk=baseline.pk).derived["sum_diameters_mm"] == "55"
