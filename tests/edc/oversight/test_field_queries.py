"""The query thread on a field: raise, answer, close, re-open; htmx fragments; refusals."""

from __future__ import annotations

from django.urls import reverse

from ramunet.edc.queries import services as queries
from ramunet.edc.queries.models import Query

HX = {"HTTP_HX_REQUEST": "true"}


def thread_url(form, field="anc"):
    return reverse("oversight:field_queries", args=["HAEM", form.pk, field])


def test_monitor_sees_the_thread_with_the_current_value(signed_in, monitor, haem):
    response = signed_in(monitor).get(thread_url(haem))
    assert response.status_code == 200
    assert response.templates[0].name == "ramunet/oversight/thread.html"
    assert "2.5000" in response.content.decode()
    assert "Raise a query" in response.content.decode()


def test_monitor_raises_a_query_and_is_redirected_to_the_thread(signed_in, monitor, haem):
    response = signed_in(monitor).post(thread_url(haem), {"action": "raise", "text": "ANC 2.3?"})
    assert response.status_code == 302
    assert response["Location"] == thread_url(haem)
    query = Query.objects.get()
    assert (query.field, query.status, query.raised_by) == ("anc", "open", "monitor")
    assert query.messages.get().text == "ANC 2.3?"


def test_raising_through_htmx_returns_the_thread_fragment(signed_in, monitor, haem):
    response = signed_in(monitor).post(thread_url(haem), {"action": "raise", "text": "ANC?"}, **HX)
    assert response.status_code == 200
    assert response.templates[0].name == "ramunet/oversight/thread_fragment.html"
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card thread"')
    assert 'aria-live="polite"' in body
    assert "ANC?" in body


def test_empty_query_text_is_refused_naming_the_field_and_nothing_saved(signed_in, monitor, haem):
    response = signed_in(monitor).post(thread_url(haem), {"action": "raise", "text": "  "})
    assert response.status_code == 400
    assert response.context["error"] == {
        "field": "text",
        "rule": "a query message cannot be empty",
        "value": "",
    }
    assert not Query.objects.exists()


def test_unknown_action_is_refused_with_the_allowed_ones(signed_in, monitor, haem):
    response = signed_in(monitor).post(thread_url(haem), {"action": "delete", "text": "x"})
    assert response.status_code == 400
    assert response.context["error"] == {
        "field": "action",
        "rule": "not recognised; expected raise, answer, close, reopen",
        "value": "delete",
    }


def test_nurse_answers_an_open_query(signed_in, monitor, nurse_a, haem):
    query = queries.raise_query(monitor, haem, "anc", "Please check")
    response = signed_in(nurse_a).post(
        thread_url(haem), {"action": "answer", "query": query.pk, "text": "Checked: correct"}
    )
    assert response.status_code == 302
    query.refresh_from_db()
    assert query.status == "answered"


def test_nurse_sees_an_answer_box_but_no_raise_form(signed_in, monitor, nurse_a, haem):
    queries.raise_query(monitor, haem, "anc", "Please check")
    body = signed_in(nurse_a).get(thread_url(haem)).content.decode()
    assert "Send answer" in body
    assert "Raise a query" not in body


def test_nurse_cannot_raise_a_query(signed_in, nurse_a, haem):
    response = signed_in(nurse_a).post(thread_url(haem), {"action": "raise", "text": "x"})
    assert response.status_code == 403
    assert "nurse.a (nurse) may not raise query at centre HAL" in response.content.decode()
    assert not Query.objects.exists()


def test_answering_a_closed_query_is_refused_with_the_reason(signed_in, monitor, nurse_a, haem):
    query = queries.raise_query(monitor, haem, "anc", "Please check")
    queries.close_query(monitor, query, "never mind")
    response = signed_in(nurse_a).post(
        thread_url(haem), {"action": "answer", "query": query.pk, "text": "late"}, **HX
    )
    assert response.status_code == 200
    assert (
        response.context["error"]["rule"] == f"query #{query.pk} is closed; it cannot be answered"
    )


def test_monitor_closes_and_reopens_a_query(signed_in, monitor, haem):
    query = queries.raise_query(monitor, haem, "anc", "Please check")
    client = signed_in(monitor)
    client.post(thread_url(haem), {"action": "close", "query": query.pk, "text": ""})
    query.refresh_from_db()
    assert query.status == "closed"
    client.post(thread_url(haem), {"action": "reopen", "query": query.pk, "text": "again"})
    query.refresh_from_db()
    assert query.status == "open"


def test_a_query_of_another_field_cannot_be_acted_on(signed_in, monitor, haem):
    query = queries.raise_query(monitor, haem, "platelets", "Please check")
    response = signed_in(monitor).post(
        thread_url(haem), {"action": "close", "query": query.pk, "text": "x"}
    )
    assert response.status_code == 400
    assert response.context["error"]["field"] == "query"


def test_other_centres_investigator_finds_nothing(signed_in, investigator_b, haem):
    response = signed_in(investigator_b).get(thread_url(haem))
    assert response.status_code == 404


def test_dsmb_sees_no_patient_level_thread(signed_in, dsmb, haem):
    assert signed_in(dsmb).get(thread_url(haem)).status_code == 403


def test_unknown_field_is_not_found(signed_in, monitor, haem):
    assert signed_in(monitor).get(thread_url(haem, "colour")).status_code == 404


def test_unknown_form_code_is_not_found(signed_in, monitor, haem):
    url = reverse("oversight:field_queries", args=["XRAY", haem.pk, "anc"])
    assert signed_in(monitor).get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, haem):
    response = client.get(thread_url(haem))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_thread_reads_in_constant_queries(
    signed_in, monitor, nurse_a, haem, django_assert_max_num_queries
):
    for n in range(5):
        query = queries.raise_query(monitor, haem, "anc", f"question {n}")
        queries.answer_query(nurse_a, query, f"answer {n}")
    client = signed_in(monitor)
    client.get(thread_url(haem))
    with django_assert_max_num_queries(10):
        client.get(thread_url(haem))
