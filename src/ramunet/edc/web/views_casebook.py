"""The patient casebook: calendar with status colours, forms per visit, derived values."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from ramunet.edc.web import casebook, labels, scoping


@login_required
def casebook_page(request: HttpRequest, code: str) -> HttpResponse:
    patient = scoping.patient_or_404(request.user, code)
    today = timezone.localdate()
    visits, events = casebook.calendar(patient, today)
    first_visit = next((row.visit for row in visits if row.visit.code == "C1D1"), None)
    if first_visit is None and visits:
        first_visit = visits[0].visit
    return render(
        request,
        "ramunet/web/casebook.html",
        {
            "patient": patient,
            "status": labels.PATIENT_STATUS.get(patient.status, patient.status),
            "visits": visits,
            "events": events,
            "event_visit": first_visit,
            "endpoints": casebook.endpoints_of(patient),
            "state_labels": labels.VISIT_STATUS,
            "can_enter": access.can(request.user, Capability.ENTER_DATA, patient.centre_id),
            "can_sign": access.can(request.user, Capability.SIGN, patient.centre_id),
        },
    )


@login_required
@require_POST
def record_visit(request: HttpRequest, code: str, visit_id: int) -> HttpResponse:
    """Record a planned visit as done on the date given (``visits.services.record_visit``)."""
    patient = scoping.patient_or_404(request.user, code)
    visit = Visit.objects.filter(patient=patient, pk=visit_id).first()
    if visit is None:
        raise Http404(_("No visit %(id)s for %(code)s.") % {"id": visit_id, "code": code})
    scoping.require(request.user, Capability.ENTER_DATA, patient.centre_id)
    try:
        day = dt.date.fromisoformat(request.POST.get("actual_date", ""))
    except ValueError:
        messages.error(
            request,
            _("actual_date %(value)r: enter the date of the visit (YYYY-MM-DD).")
            % {"value": request.POST.get("actual_date", "")},
        )
        return redirect("web:casebook", code=patient.code)
    try:
        visits.record_visit(request.user, visit, day)
    except (InvalidInput, WorkflowError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Visit %(visit)s recorded as done.") % {"visit": visit.label})
    return redirect("web:casebook", code=patient.code)
