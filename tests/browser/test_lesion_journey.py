"""Lesion entry at the bedside: the running sum and the time-point response as typed."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from ramunet.edc.crfs.models import TumourAssessment
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from tests.browser.conftest import login
from tests.factories import FIRST_DOSE, make_registered

SUM = {"en": ("50.0 mm", "30.0 mm"), "de": ("50,0 mm", "30,0 mm")}


def test_nurse_enters_lesions_and_sees_sum_and_response(page, shots, language, nurse_a, centre_a):
    patient = make_registered(centre_a)
    c1d1 = Visit.objects.get(patient=patient, code="C1D1")
    visits.record_visit("system", c1d1, FIRST_DOSE, today=FIRST_DOSE + dt.timedelta(days=1))
    url = f"/site/patients/{patient.code}/visits/{c1d1.pk}/forms/TUMOUR/"
    login(page, nurse_a, language)
    page.goto(url)
    page.fill("#form-date", "2026-03-10")
    for row, (label, organ, mm) in enumerate([("T1", "liver", "30"), ("T2", "liver", "20")]):
        page.fill(f"#l{row}-label", label)
        page.check(f"#l{row}-target")
        page.fill(f"#l{row}-organ", organ)
        page.fill(f"#l{row}-mm", mm)
    page.locator("#l2-label").click()  # leave the last field: its change event fires
    expect(page.locator("#sum-mm")).to_have_text(SUM[language][0])
    shots("baseline lesions with running sum")
    page.locator("#save-tumour").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.fill("#form-date", "2026-05-10")
    page.fill("#mm-T1", "20")
    page.fill("#mm-T2", "10")
    page.select_option("#new-lesions", "none")
    page.locator("#mm-T1").click()
    expect(page.locator("#overall")).to_have_text("PR")
    expect(page.locator("#sum-mm")).to_have_text(SUM[language][1])
    shots("follow-up with change and response")
    page.locator("#save-tumour").click()
    expect(page.locator(".message-success")).to_be_visible()
    shots("assessments listed")
    assert TumourAssessment.objects.get(baseline=False).derived["overall"] == "PR"
