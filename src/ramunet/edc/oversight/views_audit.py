"""The audit trail of one form and of one field: who changed what, when (UTC), old and new
value, and the reason given (EMA guideline on computerised systems, 2023, §6.2; ICH E6(R3)
§4.2 on audit trails)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ramunet.edc.audit import review as trail
from ramunet.edc.oversight.guards import check_field, get_form, oversight_view
from ramunet.edc.sites.roles import Capability

MAX_ROWS = 500  # a form's trail is short; this only guards the page against runaway rows


def _utc(stamp: str) -> str:
    return dt.datetime.fromisoformat(stamp).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def trail_rows(user: Any, where: trail.TrailFilter) -> list[dict[str, Any]]:
    """The rows of the trail, newest first, with the time in UTC."""
    rows = []
    for row in trail.rows(user, where):
        row["at_utc"] = _utc(row["at"])
        rows.append(row)
    rows.reverse()
    return rows[:MAX_ROWS]


@oversight_view
def form_audit(request: HttpRequest, form_code: str, pk: int) -> HttpResponse:
    form = get_form(request.user, form_code, pk, Capability.VIEW_AUDIT)
    where = trail.TrailFilter(model=form._meta.label, object_pk=str(form.pk))
    context = {
        "form": form,
        "form_code": form.FORM_CODE,
        "field": "",
        "rows": trail_rows(request.user, where),
    }
    return render(request, "ramunet/oversight/audit.html", context)


@oversight_view
def field_audit(request: HttpRequest, form_code: str, pk: int, field: str) -> HttpResponse:
    form = get_form(request.user, form_code, pk, Capability.VIEW_AUDIT)
    check_field(form, field)
    where = trail.TrailFilter(model=form._meta.label, object_pk=str(form.pk), field=field)
    context = {
        "form": form,
        "form_code": form.FORM_CODE,
        "field": field,
        "rows": trail_rows(request.user, where),
    }
    return render(request, "ramunet/oversight/audit.html", context)
