"""Oversight journeys in headless chromium, in English and German: a monitor raises a query
and the nurse answers it; the investigator signs the casebook; the data manager locks the
patient and the nurse's edit is refused; the monitor reviews the audit trail's flags; the data
manager closes enrolment and allows one more candidate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.queries.models import Query
from ramunet.edc.review import services as review
from ramunet.edc.review.models import Signature
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit
from tests.browser.conftest import login
from tests.factories import PASSWORD, edit_haem, make_registered, make_screened

WORDS = {
    "en": {
        "answered": "answered",
        "signed": "signed",
        "locked": "locked",
        "review": "Audit review",
        "after_sdv": "Changed after source data verification",
        "enrolment": "Enrolment",
    },
    "de": {
        "answered": "beantwortet",
        "signed": "unterschrieben",
        "locked": "gesperrt",
        "review": "Audit-Trail-Prüfung",
        "after_sdv": "Nach der Quelldatenverifizierung geändert",
        "enrolment": "Rekrutierung",
    },
}


@pytest.fixture
def haem_at_visit(centre_a, nurse_a, investigator_a):
    """A registered patient with a haematology form saved at the first visit."""
    patient = make_registered(centre_a, investigator_a)
    visit = Visit.objects.filter(patient=patient).order_by("order").first()
    return save_form(
        nurse_a,
        Haematology,
        patient=patient,
        visit=visit,
        values={"form_date": patient.planned_first_dose, "anc": Decimal("2.5")},
        today=patient.planned_first_dose + dt.timedelta(days=1),
    ).form


def test_monitor_raises_a_query_and_the_nurse_answers_it(
    page, shots, language, monitor, nurse_a, haem_at_visit
):
    thread = f"/oversight/forms/HAEM/{haem_at_visit.pk}/fields/anc/queries/"
    login(page, monitor, language)
    page.goto(thread)
    shots("thread empty")
    page.fill("#raise-anc", "ANC 2.5 - the lab printout says 2.3?")
    page.locator("#raise-submit").click()
    expect(page.locator("article.query")).to_have_count(1)
    expect(page.locator("article.query")).to_contain_text("the lab printout says 2.3?")
    shots("query raised")
    query = Query.objects.get()
    assert (query.status, query.raised_by) == ("open", monitor.username)

    login(page, nurse_a, language)
    page.goto(thread)
    page.fill(f"#answer-{query.pk}", "Checked against the printout: 2.5 is correct")
    shots("answer typed")
    page.locator(f"#answer-submit-{query.pk}").click()
    badge = page.locator(f"#query-{query.pk} [data-status=answered]")
    expect(badge).to_have_text(WORDS[language]["answered"])
    shots("query answered")
    query.refresh_from_db()
    assert query.status == "answered"


def test_investigator_signs_the_casebook(page, shots, language, investigator_a, haem_at_visit):
    code = haem_at_visit.patient.code
    login(page, investigator_a, language)
    page.goto(f"/site/patients/{code}/")
    page.locator(f"main a[href='/oversight/patients/{code}/sign/']").first.click()
    expect(page.locator("#sign-form")).to_be_visible()
    shots("what is signed")
    page.fill("#id_password", "not-my-password")
    page.locator("#sign-submit").click()
    expect(page.locator("#sign-form .field-error")).to_be_visible()
    shots("wrong password refused")
    page.fill("#id_password", PASSWORD)
    page.locator("#sign-submit").click()
    expect(page.locator("#signature-status .badge-ok")).to_have_text(WORDS[language]["signed"])
    shots("casebook signed")
    assert Signature.objects.get().signer == investigator_a.username


def test_data_manager_locks_the_patient_and_an_edit_is_refused(
    page, shots, language, data_manager, nurse_a, haem_at_visit
):
    patient = haem_at_visit.patient
    login(page, data_manager, language)
    page.goto(f"/oversight/locks/patients/{patient.code}/")
    shots("patient open")
    page.locator("#lock-patient").click()
    expect(page.locator("#patient-lock .badge-info")).to_have_text(WORDS[language]["locked"])
    shots("patient locked")
    assert Patient.objects.get(pk=patient.pk).locked

    login(page, nurse_a, language)
    page.goto(
        f"/site/patients/{patient.code}/visits/{haem_at_visit.visit_id}/forms/HAEM/"
        f"?instance={haem_at_visit.pk}"
    )
    expect(page.locator("#id_anc")).to_be_disabled()
    expect(page.locator("#save-form")).to_have_count(0)
    shots("ecrf read-only")
    # the server refuses too: a tampered page that re-enables the form and posts anyway
    page.locator("#crf-form fieldset").first.evaluate("f => { f.disabled = false; }")
    page.fill("#id_anc", "2.1")
    with page.expect_navigation():
        page.locator("#crf-form").evaluate(
            """f => {
                const reason = document.createElement("input");
                reason.name = "reason";
                reason.value = "transcription error";
                f.appendChild(reason);
                f.submit();
            }"""
        )
    expect(page.locator("#crf-form .field-error")).to_contain_text(
        f"patient {patient.code} is locked"
    )
    shots("edit refused")
    assert Haematology.objects.get(pk=haem_at_visit.pk).anc == Decimal("2.5")


def test_monitor_reviews_a_change_made_after_sdv(
    page, shots, language, monitor, nurse_a, haem_at_visit
):
    review.verify_source(monitor, haem_at_visit)
    edit_haem(nurse_a, haem_at_visit, "2.1", reason="corrected after SDV")
    login(page, monitor, language)
    page.get_by_role("link", name=WORDS[language]["review"]).click()
    flag = page.locator("#flags tr[data-kind=after_sdv]")
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text(WORDS[language]["after_sdv"])
    expect(flag).to_contain_text("nurse.a")
    shots("flags")
    flag.locator("a").click()
    expect(page).to_have_url(f"/oversight/forms/HAEM/{haem_at_visit.pk}/audit/")
    expect(page.locator("tbody")).to_contain_text("corrected after SDV")
    shots("trail of the flagged form")


def test_data_manager_closes_enrolment_and_allows_one_candidate(
    page, shots, language, data_manager, centre_a
):
    entry = make_screened(centre_a)
    login(page, data_manager, language)
    page.get_by_role("link", name=WORDS[language]["enrolment"], exact=True).click()
    expect(page.locator("[data-enrolment=open]")).to_be_visible()
    shots("enrolment open")
    page.locator("#enrolment-closed").check()
    page.fill("#enrolment-reason", "recruitment complete")
    page.locator("#enrolment-save").click()
    expect(page.locator("[data-enrolment=closed]")).to_be_visible()
    shots("enrolment closed")
    page.fill("#override-candidate", entry.label)
    page.fill("#override-reason", "DSMB approved one more patient")
    page.locator("#override-grant").click()
    expect(page.locator("#overrides tbody")).to_contain_text(entry.label)
    shots("override granted")
    entry.refresh_from_db()
    assert entry.enrolment_override_by == data_manager.username
