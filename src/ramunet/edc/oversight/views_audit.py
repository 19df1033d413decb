"""The audit trail of one form and of one field: who changed what, when (UTC), old and new
value, and the reason given; and the review of the whole visible trail, the writes a reviewer
should look at (EMA guideline on computerised systems, 2023, §6.2 and Annex 4 on audit trail
review; ICH E6(R3) §4.2 on audit trails)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import review as trail
from ramunet.edc.oversight.cache import cached
from ramunet.edc.oversight.guards import (
    FORM_CODES,
    check_field,
    describe,
    get_form,
    oversight_view,
)
from ramunet.edc.sites import access
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


#: what each kind of review flag means (``audit.review.review_flags``)
FLAG_LABELS = {
    "after_signature": gettext_lazy("Changed after the casebook was signed"),
    "after_sdv": gettext_lazy("Changed after source data verification"),
    "back_and_forth": gettext_lazy("Changed back to an earlier value"),
    "late_entry": gettext_lazy("Entered long after its date"),
    "burst": gettext_lazy("Many changes by one person in a short time"),
}


def _flag_row(flag: trail.Flag) -> dict[str, Any]:
    return {
        "kind": flag.kind,
        "label": FLAG_LABELS[flag.kind],
        "seq": flag.seq,
        "at": flag.at.isoformat() if flag.at else "",
        "at_utc": flag.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if flag.at else "",
        "actor": flag.actor,
        "patient": flag.patient,
        "message": flag.message,
        "form_code": FORM_CODES.get(flag.model, ""),
        "object_pk": flag.object_pk,
    }


@oversight_view
def audit_review(request: HttpRequest) -> HttpResponse:
    """The review flags of the trail the person may see, newest first, by kind."""
    user = request.user
    access.require(user, Capability.VIEW_AUDIT)
    kind = request.GET.get("kind", "")
    error = None
    if kind and kind not in trail.FLAG_KINDS:  # a bad filter: say so, show every kind
        error = describe(
            InvalidInput(
                "kind", f"not recognised; expected one of {', '.join(trail.FLAG_KINDS)}", kind
            )
        )
        kind = ""
    flags = cached("audit_review", user, Capability.VIEW_AUDIT, lambda: trail.review_flags(user))
    counts = Counter(f.kind for f in flags)
    shown = [f for f in reversed(flags) if not kind or f.kind == kind]
    context = {
        "kinds": [(k, FLAG_LABELS[k], counts.get(k, 0)) for k in trail.FLAG_KINDS],
        "chosen": kind,
        "total": len(shown),
        "rows": [_flag_row(f) for f in shown[:MAX_ROWS]],
        "limit": MAX_ROWS,
        "error": error,
    }
    status = 400 if error else 200
    return render(request, "ramunet/oversight/audit_review.html", context, status=status)
