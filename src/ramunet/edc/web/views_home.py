"""The site staff's home and worklist: visits due and overdue, open queries, screening."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ramunet.edc.queries.models import Query
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.web import labels, scoping

ROWS = 50  # per list; the page says how many more there are


# patients who may still have visits to do (completed, withdrawn and dead patients have none)
ACTIVE = (
    Patient.Status.REGISTERED,
    Patient.Status.ON_TREATMENT,
    Patient.Status.FOLLOW_UP,
)


def _visits(user: Any, today: dt.date) -> dict[str, Any]:
    """Planned visits whose window is open (due) or closed (overdue), in the user's centres.

    Only patients still in the study; one query counts both lists and two fetch their first
    rows, so the page stays fast for a centre with thousands of visits (benchmarks/pages.py).
    """
    planned = access.scope(
        Visit.objects.filter(
            status=Visit.Status.PLANNED, patient__status__in=ACTIVE, earliest__lte=today
        ).select_related("patient"),
        user,
        Capability.VIEW_PATIENTS,
        "patient__centre",
    ).only("pk", "code", "label", "planned_date", "earliest", "latest", "patient__code")
    counts = planned.aggregate(
        due=Count("pk", filter=Q(latest__gte=today)),
        overdue=Count("pk", filter=Q(latest__lt=today)),
    )
    due = planned.filter(latest__gte=today).order_by("latest", "pk")
    overdue = planned.filter(latest__lt=today).order_by("latest", "pk")
    return {
        "due": list(due[:ROWS]),
        "due_count": counts["due"],
        "overdue": [(v, (today - v.latest).days) for v in overdue[:ROWS]],
        "overdue_count": counts["overdue"],
    }


def _queries(user: Any) -> dict[str, Any]:
    open_queries = access.scope(
        Query.objects.filter(status=Query.Status.OPEN).select_related("patient"),
        user,
        Capability.ANSWER_QUERY,
        "patient__centre",
    ).order_by("raised_at", "pk")
    return {
        "queries": list(
            open_queries.only(
                "pk", "patient__code", "form_model", "form_pk", "field", "raised_at", "origin"
            )[:ROWS]
        ),
        "query_count": open_queries.count(),
    }


def _screening(user: Any) -> dict[str, Any]:
    entries = access.scope(
        ScreeningEntry.objects.filter(status=ScreeningEntry.Status.OPEN).select_related("centre"),
        user,
        Capability.SCREEN,
    ).order_by("-screened_on", "-pk")
    return {
        "screening": [
            (e, labels.VERDICTS.get(e.verdict, labels.VERDICTS[""]))
            for e in entries.only("pk", "centre__code", "number", "screened_on", "verdict")[:ROWS]
        ],
        "screening_count": entries.count(),
    }


def site_context(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    context: dict[str, Any] = {"today": today}
    context.update(_visits(user, today))
    context.update(_queries(user))
    context["can_screen"] = access.can(user, Capability.SCREEN)
    if context["can_screen"]:
        context.update(_screening(user))
    return context


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    scoping.require(request.user, Capability.VIEW_PATIENTS)
    return render(request, "ramunet/web/worklist.html", site_context(request.user))
