"""Queries on a field: raise, answer, close, re-open; automatic queries; ageing per centre."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.queries import services as queries
from ramunet.edc.queries.models import Query
from tests.factories import make_patient


@pytest.fixture
def form(nurse_a, centre_a):
    patient = make_patient(centre_a)
    return save_form(
        nurse_a, Haematology, patient=patient, today=dt.date(2026, 2, 1),
        values={"form_date": dt.date(2026, 1, 19), "anc": Decimal("2.5")},
    ).form  # fmt: skip


def thread(query):
    return [(m.kind, m.author, m.text) for m in query.messages.order_by("at", "id")]


def test_monitor_raises_nurse_answers_monitor_closes(monitor, nurse_a, form):
    query = queries.raise_query(monitor, form, "anc", "ANC 2.5 - source says 2.3?")
    assert query.status == "open"
    query = queries.answer_query(nurse_a, query, "Corrected to 2.3 per lab printout")
    assert query.status == "answered"
    query = queries.close_query(monitor, query, "Thanks, resolved")
    assert query.status == "closed"
    assert query.closed_at is not None
    assert thread(query) == [
        ("raised", "monitor", "ANC 2.5 - source says 2.3?"),
        ("answered", "nurse.a", "Corrected to 2.3 per lab printout"),
        ("closed", "monitor", "Thanks, resolved"),
    ]
    assert audit.verify().ok


def test_closed_query_can_be_reopened_and_answered_again(monitor, nurse_a, form):
    query = queries.raise_query(monitor, form, "anc", "Please check")
    query = queries.answer_query(nurse_a, query, "Checked")
    query = queries.close_query(monitor, query)
    query = queries.reopen_query(monitor, query, "Still differs from source")
    assert query.status == "open"
    assert queries.answer_query(nurse_a, query, "Now corrected").status == "answered"


def test_answering_a_closed_query_is_refused(monitor, nurse_a, form):
    query = queries.close_query(
        monitor, queries.raise_query(monitor, form, "anc", "x"), "withdrawn"
    )
    with pytest.raises(WorkflowError) as error:
        queries.answer_query(nurse_a, query, "late answer")
    assert str(error.value) == f"query #{query.pk} is closed; it cannot be answered"


def test_reopening_an_open_query_is_refused(monitor, form):
    query = queries.raise_query(monitor, form, "anc", "x")
    with pytest.raises(WorkflowError) as error:
        queries.reopen_query(monitor, query, "again")
    assert str(error.value) == f"query #{query.pk} is open; it cannot be re-opened"


def test_nurse_cannot_raise_a_query(nurse_a, form):
    with pytest.raises(PermissionRefused):
        queries.raise_query(nurse_a, form, "anc", "self query")


def test_other_centre_cannot_answer(monitor, investigator_b, form):
    query = queries.raise_query(monitor, form, "anc", "x")
    with pytest.raises(PermissionRefused) as error:
        queries.answer_query(investigator_b, query, "not mine")
    assert str(error.value) == "investigator.b (investigator) may not answer query at centre HAL"


def test_nurse_cannot_close_a_query(monitor, nurse_a, form):
    query = queries.raise_query(monitor, form, "anc", "x")
    with pytest.raises(PermissionRefused):
        queries.close_query(nurse_a, query, "closing my own")


def test_query_on_an_unknown_field_is_refused(monitor, form):
    with pytest.raises(InvalidInput) as error:
        queries.raise_query(monitor, form, "neutrophils", "x")
    assert error.value.field == "field"
    assert Query.objects.count() == 0


def test_empty_query_text_is_refused(monitor, form):
    with pytest.raises(InvalidInput) as error:
        queries.raise_query(monitor, form, "anc", "   ")
    assert str(error.value) == "text: a query message cannot be empty"


def test_automatic_query_closes_itself_when_the_check_no_longer_applies(form):
    label = form._meta.label
    query = queries.open_automatic(
        form.patient, form_model=label, form_pk=form.pk, field="anc",
        rule="lab.implausible", message="anc: outside the plausible range",
    )  # fmt: skip
    assert query.origin == "automatic"
    closed = queries.close_automatic(form_model=label, form_pk=form.pk, field="anc",
                                     rule="lab.implausible")  # fmt: skip
    assert [q.pk for q in closed] == [query.pk]
    assert thread(closed[0])[-1][0] == "auto_closed"


def test_ageing_counts_open_queries_per_centre_by_band(monitor, data_manager, form):
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)):
        old = queries.raise_query(monitor, form, "anc", "old one")
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)):
        queries.raise_query(monitor, form, "anc", "new one")
        closed = queries.raise_query(monitor, form, "anc", "closed one")
        queries.close_query(monitor, closed)
    ageing = queries.query_ageing(data_manager, today=dt.date(2026, 3, 7))
    assert [(a.centre, a.bands, a.oldest_days) for a in ageing] == [
        ("HAL", {"0-7 days": 1, "8-14 days": 0, "15-30 days": 0, "over 30 days": 1}, 34)
    ]
    assert old.status == "open"


def test_ageing_shows_a_site_user_only_their_centre(monitor, investigator_b, form):
    queries.raise_query(monitor, form, "anc", "x")
    assert queries.query_ageing(investigator_b) == []


def test_an_edit_check_finding_becomes_an_automatic_query_that_closes_on_correction(
    nurse_a, monitor, centre_a
):
    from ramunet.edc.queries.models import QueryMessage
    from ramunet.edc.sites import services as sites
    from tests.factories import edit_haem, save_haem

    sites.add_reference_range(
        "system",
        centre_a,
        analyte="anc",
        unit="10^9/L",
        lln=Decimal("1.8"),
        uln=Decimal("7.5"),
        valid_from=dt.date(2019, 1, 1),
    )
    patient = make_patient(centre_a, sequence=2)
    form = save_haem(nurse_a, patient, anc="0.8")  # grade 3 without an adverse event
    query = Query.objects.get(origin="automatic", form_pk=form.pk)
    assert (query.field, query.rule, query.status) == ("anc", "lab.grade3_without_ae", "open")
    queries.answer_query(nurse_a, query, "AE form follows; lab value confirmed")
    edit_haem(nurse_a, form, "1.9", reason="transcription error")
    query.refresh_from_db()
    assert query.status == "closed"
    kinds = list(query.messages.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["raised", "answered", QueryMessage.Kind.AUTO_CLOSED]
