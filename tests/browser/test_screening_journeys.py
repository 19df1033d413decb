"""Journeys of a study nurse at the bedside (tablet width), in English and German."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from ramunet.edc.crfs.models import AdverseEvent, Exposure, Haematology
from ramunet.edc.screening.models import Patient, ScreeningEntry
from tests.browser.conftest import login
from tests.browser.journeys import WORDS, fill_screening_form, today


def _log_candidate(page, shots) -> None:
    page.locator("#new-candidate").click()
    page.fill("#id_screened_on", today().isoformat())
    page.fill("#id_year_of_birth", "1961")
    page.select_option("#id_sex", "female")
    page.fill("#id_initials", "AB")
    shots("new candidate")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#screening-form")).to_be_visible()


def test_nurse_screens_a_candidate_who_fails_on_a_lab_value(page, shots, language, nurse_a):
    login(page, nurse_a, language)
    shots("home")
    _log_candidate(page, shots)
    fill_screening_form(page, today(), lab_anc="1000")
    in09 = page.locator("#checklist [data-criterion=IN09]")
    expect(in09).to_have_attribute("data-state", "error")
    expect(in09).to_contain_text(WORDS[language]["not met"])
    shots("checklist shows IN09 not met")
    page.locator("#save-screening").click()
    expect(page.locator("#failure-form")).to_be_visible()
    shots("saved not eligible")
    page.locator("#record-failure").click()
    expect(page.locator(".message-success")).to_be_visible()
    shots("screening failure recorded")
    entry = ScreeningEntry.objects.get()
    assert entry.status == "failed"
    assert entry.failure_reasons[0]["criterion"] == "IN09"


def test_nurse_screens_investigator_registers_nurse_enters_cycle_1_day_1(
    page, shots, language, nurse_a, investigator_a
):
    login(page, nurse_a, language)
    _log_candidate(page, shots)
    fill_screening_form(page, today())
    expect(page.locator("#verdict")).to_have_text(WORDS[language]["eligible"])
    shots("checklist eligible")
    page.locator("#save-screening").click()
    expect(page.locator("#register-link")).to_be_visible()
    detail = page.url
    # registration confirms the attestations: the centre's investigator does it
    login(page, investigator_a, language)
    page.goto(detail)
    page.locator("#register-link").click()
    page.locator("#id_attestations_confirmed").check()
    shots("registration")
    page.locator("#register-submit").click()
    expect(page.locator("#visit-C1D1")).to_be_visible()
    code = Patient.objects.get().code
    assert page.url.endswith(f"/site/patients/{code}/")
    # the nurse records cycle 1 day 1 and its forms
    login(page, nurse_a, language)
    page.goto(f"/site/patients/{code}/")
    shots("casebook")
    page.locator("#visit-C1D1 .record-visit button").click()
    expect(page.locator("#visit-C1D1")).to_have_attribute("data-state", "done")
    shots("cycle 1 day 1 done")
    page.locator("#visit-C1D1 a[data-form=EXPOSURE]").click()
    page.fill("#id_form_date", today().isoformat())
    page.select_option("#id_drug", "ramucirumab")
    page.fill("#id_cycle", "1")
    page.fill("#id_day", "1")
    page.fill("#id_weight_kg", "70")
    expect(page.locator("#computed-dose")).to_have_text(WORDS[language]["dose 560"])
    expect(page.locator("#dose .formula").first).to_contain_text("8 mg/kg x 70 kg")
    page.fill("#id_dose_given_mg", "560")
    page.locator("#id_crf_page").click()
    shots("dose computed with its formula")
    page.locator("#save-form").click()
    expect(page.locator(".message-success")).to_be_visible()
    shots("dose saved")
    assert Exposure.objects.get().computed_dose_mg == 560
    page.goto(f"/site/patients/{code}/")
    page.locator("#visit-C1D1 a[data-form=HAEM]").click()
    page.fill("#id_form_date", today().isoformat())
    page.fill("#id_hemoglobin", "12.1")
    page.fill("#id_anc", "3.1")
    page.fill("#id_platelets", "240")
    page.select_option("#id_wbc__missing", "ND")
    page.locator("#save-form").click()
    expect(page.locator(".message-success")).to_be_visible()
    shots("haematology saved")
    assert Haematology.objects.get().missing == {"wbc": "ND"}
    page.goto(f"/site/patients/{code}/")
    page.locator("#new-ae").click()
    page.fill("#id_form_date", today().isoformat())
    page.fill("#id_term", "Nausea")
    page.fill("#id_grade", "1")
    page.select_option("#id_relation_ramucirumab", "possible")
    page.select_option("#id_relation_dacarbazine", "probable")
    shots("adverse event")
    page.locator("#save-form").click()
    expect(page.locator(".message-success")).to_be_visible()
    shots("adverse event saved")
    event = AdverseEvent.objects.get()
    assert (event.term, event.grade, event.visit_id) == ("Nausea", 1, None)
    page.goto(f"/site/patients/{code}/")
    expect(page.locator("#visit-C1D1 a[data-form=EXPOSURE] + .badge-ok")).to_be_visible()
    shots("casebook after cycle 1 day 1")


def test_centre_a_user_cannot_open_centre_b_patient_by_url(
    page, shots, language, nurse_a, centre_b
):
    from tests.factories import make_registered

    other = make_registered(centre_b, first_dose=today() + dt.timedelta(days=7))
    login(page, nurse_a, language)
    response = page.goto(f"/site/patients/{other.code}/")
    assert response is not None and response.status == 404
    shots("other centre's casebook refused")
    assert other.code not in page.locator("body").inner_text()
