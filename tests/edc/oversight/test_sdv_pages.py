"""Source data verification pages: progress per centre and patient, marking forms."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ramunet.edc.review import services as review
from ramunet.edc.review.models import FormMark
from tests.factories import edit_haem, save_haem

HX = {"HTTP_HX_REQUEST": "true"}


def mark_url(form):
    return reverse("oversight:sdv_form", args=["HAEM", form.pk])


def test_monitor_marks_a_form_verified(signed_in, monitor, patient, haem):
    response = signed_in(monitor).post(mark_url(haem), {"action": "verify"})
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:sdv_patient", args=[patient.code])
    assert review.mark_status(haem, "sdv").valid


def test_marking_through_htmx_returns_the_updated_row(signed_in, monitor, haem):
    response = signed_in(monitor).post(mark_url(haem), {"action": "verify"}, **HX)
    body = response.content.decode()
    assert body.startswith(f'<tr id="form-HAEM-{haem.pk}">')
    assert "verified" in body and "Mark verified" not in body


def test_verifying_twice_is_refused_inline(signed_in, monitor, haem):
    review.verify_source(monitor, haem)
    response = signed_in(monitor).post(mark_url(haem), {"action": "verify"})
    assert response.status_code == 400
    assert response.context["error"]["rule"] == f"HAEM form #{haem.pk} is verified already"
    assert FormMark.objects.count() == 1


def test_unknown_mark_action_is_refused(signed_in, monitor, haem):
    response = signed_in(monitor).post(mark_url(haem), {"action": "approve"})
    assert response.status_code == 400
    assert response.context["error"] == {
        "field": "action",
        "rule": "not recognised; expected verify, review",
        "value": "approve",
    }


def test_data_manager_marks_reviewed(signed_in, data_manager, haem):
    signed_in(data_manager).post(mark_url(haem), {"action": "review"})
    assert review.mark_status(haem, "review").valid


def test_nurse_cannot_verify(signed_in, nurse_a, haem):
    assert signed_in(nurse_a).post(mark_url(haem), {"action": "verify"}).status_code == 403
    assert not FormMark.objects.exists()


def test_patient_page_shows_a_mark_invalidated_by_a_change(signed_in, monitor, nurse_a, haem):
    review.verify_source(monitor, haem)
    edit_haem(nurse_a, haem, "2.2")
    response = signed_in(monitor).get(reverse("oversight:sdv_patient", args=["HAL-001"]))
    row = response.context["rows"][0]
    assert (row.sdv_valid, row.sdv_invalidated) == (False, True)
    assert "changed after monitor's mark (version 1, now 2)" in response.content.decode()


def test_overview_counts_forms_per_centre(signed_in, monitor, nurse_a, patient, haem):
    review.set_sdv_plan(monitor, "HAEM", True)
    review.verify_source(monitor, haem)
    client = signed_in(monitor)
    assert client.get(reverse("oversight:sdv")).status_code == 200
    response = client.get(reverse("oversight:sdv_progress"))
    assert [(p.centre, p.required, p.verified) for p in response.context["progress"]] == [
        ("HAL", 1, 1)
    ]


def test_cached_progress_follows_every_change(signed_in, monitor, nurse_a, patient, haem):
    review.set_sdv_plan(monitor, "HAEM", True)
    client = signed_in(monitor)
    url = reverse("oversight:sdv_progress")
    assert [p.verified for p in client.get(url).context["progress"]] == [0]
    review.verify_source(monitor, haem)
    assert [p.verified for p in client.get(url).context["progress"]] == [1]


def test_centre_page_counts_per_patient(signed_in, monitor, nurse_a, patient, haem):
    review.set_sdv_plan(monitor, "HAEM", True)
    save_haem(nurse_a, patient, anc="3.0")
    review.verify_source(monitor, haem)
    response = signed_in(monitor).get(reverse("oversight:sdv_centre", args=["HAL"]))
    assert [(r.code, r.required, r.verified) for r in response.context["rows"]] == [
        ("HAL-001", 2, 1)
    ]


def test_unknown_centre_is_not_found(signed_in, monitor):
    assert signed_in(monitor).get(reverse("oversight:sdv_centre", args=["XYZ"])).status_code == 404


def test_sponsor_is_refused_sdv_pages(signed_in, sponsor, patient):
    assert signed_in(sponsor).get(reverse("oversight:sdv")).status_code == 403
    url = reverse("oversight:sdv_patient", args=[patient.code])
    assert signed_in(sponsor).get(url).status_code == 403


def test_centre_monitor_finds_no_patient_of_another_centre(signed_in, centre_b, patient):
    from tests.factories import make_person

    monitor_b = make_person("monitor.b", "monitor", centre_b)
    url = reverse("oversight:sdv_patient", args=[patient.code])
    assert signed_in(monitor_b).get(url).status_code == 404
    assert (
        signed_in(monitor_b).get(reverse("oversight:sdv_centre", args=["HAL"])).status_code == 404
    )


def test_patient_page_reads_in_constant_queries(
    signed_in, monitor, nurse_a, patient, django_assert_max_num_queries
):
    for n in range(6):
        review.verify_source(monitor, save_haem(nurse_a, patient, anc=f"2.{n}"))
    client = signed_in(monitor)
    url = reverse("oversight:sdv_patient", args=[patient.code])
    client.get(url)
    with django_assert_max_num_queries(35):  # one per form type (23) and a few more
        client.get(url)


def test_row_links_match_the_reversed_urls(signed_in, monitor, nurse_a, centre_a, investigator_a):
    from ramunet.edc.oversight.casebook_rows import patient_form_rows
    from ramunet.edc.visits.models import Visit
    from tests.factories import make_registered

    patient = make_registered(centre_a, investigator_a)
    visit = Visit.objects.filter(patient=patient).order_by("order").first()
    form = save_haem(nurse_a, patient, form_date=patient.planned_first_dose)
    from ramunet.edc.crfs.services import save_form

    at_visit = save_form(
        nurse_a, type(form), patient=patient, visit=visit,
        values={"form_date": patient.planned_first_dose}, today=dt.date(2026, 6, 1),
    ).form  # fmt: skip
    rows = {r.form.pk: r for r in patient_form_rows(patient, [])}
    row = rows[at_visit.pk]
    assert row.mark_url == reverse("oversight:sdv_form", args=["HAEM", at_visit.pk])
    assert row.audit_url == reverse("oversight:form_audit", args=["HAEM", at_visit.pk])
    assert row.ecrf_url == (
        reverse("web:form", args=[patient.code, visit.pk, "HAEM"]) + f"?instance={at_visit.pk}"
    )
    assert rows[form.pk].ecrf_url == ""


def test_overview_page_leaves_the_study_wide_count_to_its_fragment(
    signed_in, monitor, nurse_a, patient, django_assert_max_num_queries
):
    for n in range(5):
        review.verify_source(monitor, save_haem(nurse_a, patient, anc=f"2.{n}"))
    client = signed_in(monitor)
    client.get(reverse("oversight:sdv"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("oversight:sdv"))
    assert "progress" not in response.context
    assert f'hx-get="{reverse("oversight:sdv_progress")}"' in response.content.decode()
