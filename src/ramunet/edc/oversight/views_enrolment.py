"""The enrolment page of a data manager: the target, closing or reopening enrolment, and the
override that lets one candidate be registered beyond them, each with a reason
(``ramunet.edc.screening.services.enrolment``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.oversight.guards import describe, int_param, oversight_view
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability

ACTIONS = ("set", "override")


def _entry(label: str) -> ScreeningEntry:
    centre, _, number = label.strip().upper().partition("-S")
    entry = (
        ScreeningEntry.objects.filter(centre__code=centre, number=int(number)).first()
        if number.isdigit()
        else None
    )
    if entry is None:
        raise InvalidInput("candidate", "no screening log entry with this label", label)
    return entry


def _act(request: HttpRequest) -> None:
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    if action == "set":
        version = int_param(request, "expected_version")
        if version is None:
            raise InvalidInput("expected_version", "required: reload the page")
        screening.set_enrolment(
            request.user,
            expected_version=version,
            reason=reason,
            target=int_param(request, "enrolment_target"),
            closed=request.POST.get("enrolment_closed") == "on",
        )
    elif action == "override":
        entry = _entry(request.POST.get("candidate", ""))
        screening.grant_enrolment_override(request.user, entry, reason=reason)
    else:
        raise InvalidInput("action", f"not recognised; expected {', '.join(ACTIONS)}", action)


@oversight_view
def enrolment(request: HttpRequest) -> HttpResponse:
    """GET: the enrolment and its forms; POST ``action`` set (target, closed) or override."""
    access.require(request.user, Capability.OVERRIDE_ENROLMENT)
    error = None
    if request.method == "POST":
        try:
            _act(request)
        except PermissionRefused:
            raise  # the 403 page
        except (InvalidInput, WorkflowError) as problem:  # a conflict too: reload and redo
            error = describe(problem)
        else:
            return redirect("oversight:enrolment")
    status = screening.study_status()
    overrides = ScreeningEntry.objects.exclude(enrolment_override_reason="").select_related(
        "centre"
    )
    context: dict[str, Any] = {
        "status": status,
        "registered": Patient.objects.count(),
        "overrides": overrides.order_by("centre__code", "number"),
        "error": error,
        "posted": request.POST if error else {},
    }
    status_code = 400 if error else 200
    return render(request, "ramunet/oversight/enrolment.html", context, status=status_code)
