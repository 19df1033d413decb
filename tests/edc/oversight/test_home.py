"""The oversight home page per role: monitor, data manager, PI/sponsor and DSMB (aggregates
only), biometrician, central pathology; site staff are sent to their own home."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import AdverseEvent
from ramunet.edc.crfs.services import save_form
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.queries import services as queries
from ramunet.edc.review import services as review
from tests.factories import make_patient

URL = reverse("oversight:home")


def endpoint(patient, success):
    """A patient's month-6 outcome, as ``endpoints.services.recompute`` would store it."""
    return audit.create(PatientEndpoints(patient=patient, month6_success=success), actor="system")


def serious_event(nurse, patient, aware, reported):
    return save_form(
        nurse,
        AdverseEvent,
        patient=patient,
        today=dt.date(2026, 6, 1),
        values={
            "form_date": dt.date(2026, 3, 1),
            "term": "Febrile neutropenia",
            "grade": 3,
            "serious": True,
            "seriousness": ["hospitalisation"],
            "relation_ramucirumab": "possible",
            "relation_dacarbazine": "probable",
            "sae_aware_at": aware,
            "sae_reported_at": reported,
        },
    ).form


def test_site_staff_are_sent_to_their_own_home(signed_in, nurse_a):
    response = signed_in(nurse_a).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_monitor_sees_sdv_progress_and_query_ageing(signed_in, monitor, haem):
    review.set_sdv_plan(monitor, "HAEM", True)
    queries.raise_query(monitor, haem, "anc", "check")
    client = signed_in(monitor)
    response = client.get(URL)
    assert f'hx-get="{reverse("oversight:sdv_progress")}"' in response.content.decode()
    assert [(a.centre, a.total) for a in response.context["ageing"]] == [("HAL", 1)]
    assert "tracker" not in response.context
    progress = client.get(reverse("oversight:sdv_progress")).context["progress"]
    assert [(p.centre, p.required) for p in progress] == [("HAL", 1)]


def test_data_manager_sees_missing_forms_ageing_and_lock_status(signed_in, data_manager, patient):
    response = signed_in(data_manager).get(URL)
    assert response.context["per_centre"] == [{"centre__code": "HAL", "total": 1, "locked": 0}]
    assert response.context["locks"] == {"database_locked": False, "total": 1, "locked": 0}
    assert f'hx-get="{reverse("oversight:missing_forms")}"' in response.content.decode()


def test_missing_forms_fragment_counts_per_centre(signed_in, data_manager, centre_a):
    from tests.factories import make_registered

    make_registered(centre_a)  # the screening visit is done; its forms are not entered
    response = signed_in(data_manager).get(reverse("oversight:missing_forms"))
    missing = response.context["missing"]
    assert list(missing) == ["HAL"] and missing["HAL"] > 0
    assert 'id="missing-forms"' in response.content.decode()


def test_tracker_counts_successes_failures_and_pending(signed_in, sponsor, centre_a):
    for n in range(1, 6):
        patient = make_patient(centre_a, n)
        if n <= 3:
            endpoint(patient, True)
        elif n == 4:
            endpoint(patient, False)
    tracker = signed_in(sponsor).get(URL).context["tracker"]
    assert (tracker.successes, tracker.failures, tracker.pending) == (3, 1, 1)
    assert tracker.status.decision == "open"
    assert tracker.status.successes_needed == 30


def test_tracker_shows_success_certain_at_33(signed_in, dsmb, centre_a):
    for n in range(1, 34):
        endpoint(make_patient(centre_a, n), True)
    response = signed_in(dsmb).get(URL)
    assert response.context["tracker"].status.decision == "reject H0"
    assert response.context["tracker"].predictive_percent == 100.0
    assert "certain: success (H0 rejected)" in response.content.decode()


def test_tracker_figure_is_an_accessible_inline_svg(signed_in, dsmb, centre_a):
    endpoint(make_patient(centre_a, 1), True)
    body = signed_in(dsmb).get(URL).content.decode()
    assert '<svg role="img" aria-labelledby="tracker-title tracker-desc"' in body
    assert "1 successes, 0 failures, 0 pending of 45" in body


def test_recruitment_counts_patients_per_centre_against_the_share(
    signed_in, sponsor, centre_a, centre_b
):
    make_patient(centre_a, 1)
    make_patient(centre_a, 2)
    recruitment = signed_in(sponsor).get(URL).context["recruitment"]
    assert [(c.code, c.registered, c.target) for c in recruitment.centres] == [
        ("HAL", 2, 23),
        ("MAR", 0, 23),
    ]


def test_sae_list_shows_the_24_hour_clock(signed_in, dsmb, nurse_a, patient):
    aware = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    serious_event(nurse_a, patient, aware, aware + dt.timedelta(hours=30))
    response = signed_in(dsmb).get(URL)
    (row,) = response.context["sae_rows"]
    assert (row.patient, row.hours_to_report, row.late) == ("HAL-001", 30.0, True)
    assert "30 h: late" in response.content.decode()


def test_unreported_sae_clock_runs_until_now(signed_in, dsmb, nurse_a, patient):
    aware = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    serious_event(nurse_a, patient, aware, None)
    with time_machine.travel(aware + dt.timedelta(hours=5), tick=False):
        (row,) = signed_in(dsmb).get(URL).context["sae_rows"]
    assert (row.reported, row.hours_to_report, row.late) == (False, 5.0, False)


def test_dsmb_sees_no_patient_level_links(signed_in, dsmb, haem):
    body = signed_in(dsmb).get(URL).content.decode()
    assert "/oversight/forms/" not in body
    assert "/oversight/sdv/" not in body


def test_biometrician_sees_lock_status_and_exports(signed_in, biometrician, patient):
    response = signed_in(biometrician).get(URL)
    assert response.context["locks"]["total"] == 1
    assert reverse("oversight:exports") in response.content.decode()


def test_pathology_sees_a_clear_page_without_samples(signed_in, pathologist):
    response = signed_in(pathologist).get(URL)
    assert response.status_code == 200
    assert "No tissue sample registered yet" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "de"])
def test_home_renders_in_both_languages(signed_in, sponsor, language, db):
    client = signed_in(sponsor)
    client.cookies["django_language"] = language
    response = client.get(URL)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_aggregate_home_reads_in_constant_queries(
    signed_in, sponsor, centre_a, django_assert_max_num_queries
):
    for n in range(1, 8):
        endpoint(make_patient(centre_a, n), n % 2 == 0)
    client = signed_in(sponsor)
    client.get(URL)
    with django_assert_max_num_queries(16):
        client.get(URL)


def test_person_without_a_role_is_sent_to_the_site_home(signed_in, db):
    from ramunet.edc.sites import services

    user = services.create_person(
        "system", username="norole", printed_name="No Role", password="x" * 12,
        must_change_password=False,
    )  # fmt: skip
    response = signed_in(user).get(URL)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_first_login_password_change_comes_first(signed_in, sponsor):
    from ramunet.edc.sites.models import Account

    account = Account.objects.get(user=sponsor)
    audit.update(account, {"must_change_password": True}, actor="system",
                 expected_version=account.version, reason="test")  # fmt: skip
    response = signed_in(sponsor).get(URL)
    assert response["Location"] == reverse("password_change")


def test_missing_forms_agree_whether_visit_ids_are_listed_or_not(
    signed_in, data_manager, centre_a, monkeypatch
):
    from decimal import Decimal

    from ramunet.edc.crfs.models import Haematology
    from ramunet.edc.visits import worklist
    from ramunet.edc.visits.models import Visit
    from tests.factories import make_registered

    patient = make_registered(centre_a)
    done = Visit.objects.get(patient=patient, status="done")
    save_form(
        "system", Haematology, patient=patient, visit=done, today=dt.date(2026, 6, 1),
        values={"form_date": done.actual_date, "anc": Decimal("2.5")},
    )  # fmt: skip
    client = signed_in(data_manager)
    listed = client.get(reverse("oversight:missing_forms")).context["missing"]
    assert "HAEM" not in next(
        item.missing_forms
        for item in worklist.worklist(data_manager, today=dt.date(2026, 6, 1)).forms_missing
    )
    monkeypatch.setattr(worklist, "MAX_LISTED_VISITS", 0)  # read every linked form row
    from django.core.cache import cache

    cache.clear()
    scanned = client.get(reverse("oversight:missing_forms")).context["missing"]
    assert listed == scanned and listed["HAL"] > 0
