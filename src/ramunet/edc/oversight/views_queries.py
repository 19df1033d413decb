"""The query thread on one field of a form (raise, answer, close, re-open), and the list of
queries with ageing filters.

The thread is one htmx fragment: the eCRF page can load it beside a field, and every action
swaps it in place. Without JavaScript the same forms post and redirect back (POST/redirect/GET).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.crfs.models import FormRecord
from ramunet.edc.oversight.guards import (
    FORM_CODES,
    check_field,
    describe,
    get_form,
    is_htmx,
    oversight_view,
)
from ramunet.edc.queries import services as queries
from ramunet.edc.queries.models import Query, QueryMessage
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability

ACTIONS = ("raise", "answer", "close", "reopen")
STATUS_FILTERS = ("unclosed", "open", "answered", "closed", "all")
PAGE_SIZE = 50


def _thread(form: FormRecord, field: str) -> list[Query]:
    messages = Prefetch("messages", queryset=QueryMessage.objects.order_by("at", "id"))
    return list(
        Query.objects.filter(form_model=form._meta.label, form_pk=form.pk, field=field)
        .order_by("raised_at", "id")
        .prefetch_related(messages)
    )


def _thread_context(request: HttpRequest, form: FormRecord, field: str) -> dict[str, Any]:
    centre = form.patient.centre_id
    return {
        "form": form,
        "form_code": form.FORM_CODE,
        "field": field,
        "value": getattr(form, field, None),
        "missing_code": (form.missing or {}).get(field, ""),
        "queries": _thread(form, field),
        "can_raise": access.can(request.user, Capability.RAISE_QUERY, centre),
        "can_answer": access.can(request.user, Capability.ANSWER_QUERY, centre),
        "can_audit": access.can(request.user, Capability.VIEW_AUDIT, centre),
        "thread_url": reverse("oversight:field_queries", args=[form.FORM_CODE, form.pk, field]),
    }


def _act(request: HttpRequest, form: FormRecord, field: str) -> Query:
    action = request.POST.get("action", "")
    text = request.POST.get("text", "")
    if action not in ACTIONS:
        raise InvalidInput("action", f"not recognised; expected {', '.join(ACTIONS)}", action)
    if action == "raise":
        return queries.raise_query(request.user, form, field, text)
    query_id = request.POST.get("query", "")
    query = (
        Query.objects.select_related("patient__centre")
        .filter(pk=int(query_id) if query_id.isdigit() else 0)
        .filter(form_model=form._meta.label, form_pk=form.pk, field=field)
        .first()
    )
    if query is None:
        raise InvalidInput("query", "not a query of this field", query_id)
    if action == "answer":
        return queries.answer_query(request.user, query, text)
    if action == "close":
        return queries.close_query(request.user, query, text or "resolved")
    return queries.reopen_query(request.user, query, text)


@oversight_view
def field_queries(request: HttpRequest, form_code: str, pk: int, field: str) -> HttpResponse:
    """GET: the thread (a fragment for htmx); POST: one step of a query, then the thread."""
    form = get_form(request.user, form_code, pk, Capability.VIEW_PATIENTS)
    check_field(form, field)
    error: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        try:
            _act(request, form, field)
        except (InvalidInput, WorkflowError) as problem:
            if isinstance(problem, PermissionRefused) and not is_htmx(request):
                raise
            error = describe(problem)
            status = 200 if is_htmx(request) else 400
        else:
            if not is_htmx(request):
                return redirect(request.path)
    context = _thread_context(request, form, field)
    context.update(error=error, posted_text=request.POST.get("text", "") if error else "")
    template = "thread_fragment.html" if is_htmx(request) else "thread.html"
    return render(request, f"ramunet/oversight/{template}", context, status=status)


# -- the list of queries ---------------------------------------------------------------------


def _age_band(name: str) -> tuple[int, int | None]:
    for band, low, high in queries.AGE_BANDS:
        if band == name:
            return low, high
    expected = ", ".join(b for b, _l, _h in queries.AGE_BANDS)
    raise InvalidInput("age", f"not an age band; expected {expected}", name)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_queries(
    user: Any, *, centre: str, status: str, age: str, origin: str, today: dt.date
) -> QuerySet[Query]:
    """The queries the person may see, narrowed by centre, status, age band and origin."""
    rows = access.scope(
        Query.objects.select_related("patient__centre"),
        user,
        Capability.VIEW_PATIENTS,
        "patient__centre",
    )
    if centre:
        if not Centre.objects.filter(code=centre).exists():
            raise InvalidInput("centre", "not a centre of the study", centre)
        rows = rows.filter(patient__centre__code=centre)
    if status not in STATUS_FILTERS:
        raise InvalidInput(
            "status", f"not recognised; expected {', '.join(STATUS_FILTERS)}", status
        )
    if status == "unclosed":
        rows = rows.exclude(status=Query.Status.CLOSED)
    elif status != "all":
        rows = rows.filter(status=status)
    if origin:
        if origin not in Query.Origin.values:
            expected = ", ".join(Query.Origin.values)
            raise InvalidInput("origin", f"not recognised; expected {expected}", origin)
        rows = rows.filter(origin=origin)
    if age:
        low, high = _age_band(age)
        # age in days = today - local date raised: raised on or before today - low ...
        rows = rows.filter(raised_at__lt=_local_midnight(today - dt.timedelta(days=low - 1)))
        if high is not None:  # ... and on or after today - high
            rows = rows.filter(raised_at__gte=_local_midnight(today - dt.timedelta(days=high)))
    return rows.order_by("raised_at", "id")


@oversight_view
def query_list(request: HttpRequest) -> HttpResponse:
    """Every query in scope with ageing per centre; filters by centre, status, age, origin."""
    access.require(request.user, Capability.VIEW_PATIENTS)
    today = timezone.localdate()
    chosen = {
        "centre": request.GET.get("centre", ""),
        "status": request.GET.get("status", "unclosed"),
        "age": request.GET.get("age", ""),
        "origin": request.GET.get("origin", ""),
    }
    error = None
    try:
        rows = filter_queries(request.user, today=today, **chosen)
    except InvalidInput as problem:
        error = describe(problem)
        rows = Query.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "query": q,
            "form_code": FORM_CODES.get(q.form_model, ""),
            "age_days": (today - timezone.localtime(q.raised_at).date()).days,
        }
        for q in page
    ]
    centres = access.scope(Centre.objects.all(), request.user, Capability.VIEW_PATIENTS, "pk")
    context = {
        "ageing": queries.query_ageing(request.user, today),
        "bands": [b for b, _l, _h in queries.AGE_BANDS],
        "items": items,
        "page": page,
        "chosen": chosen,
        "error": error,
        "centres": list(centres.values_list("code", flat=True)),
        "statuses": STATUS_FILTERS,
        "origins": Query.Origin.values,
        "query_string": _without_page(request),
    }
    template = "query_rows.html" if is_htmx(request) else "queries.html"
    return render(request, f"ramunet/oversight/{template}", context, status=400 if error else 200)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
