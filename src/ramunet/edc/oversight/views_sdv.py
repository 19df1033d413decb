"""Source data verification and data-management review: progress per centre, per patient,
and the marks on each form (ICH E6(R3) §3.11.4 monitoring; the SDV plan of
``review.services.full_sdv_forms``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.oversight.casebook_rows import (
    form_row,
    patient_form_rows,
    patients_progress,
    row_labels,
)
from ramunet.edc.oversight.guards import (
    describe,
    get_form,
    get_patient,
    is_htmx,
    oversight_view,
    require_at,
)
from ramunet.edc.review import services as review
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability

SDV_ACTIONS = ("verify", "review")
PAGE_SIZE = 50


def _require_sdv_or_review(user: object, centre: Centre | int | None = None) -> None:
    if not access.can(user, Capability.REVIEW, centre):
        access.require(user, Capability.VERIFY_SOURCE, centre)


def _abilities(user: object, centre_id: int) -> dict[str, bool]:
    return {
        "can_verify": access.can(user, Capability.VERIFY_SOURCE, centre_id),
        "can_review": access.can(user, Capability.REVIEW, centre_id),
    }


@oversight_view
def sdv(request: HttpRequest) -> HttpResponse:
    """Progress of source data verification per centre in scope."""
    _require_sdv_or_review(request.user)
    context = {"plan": sorted(review.full_sdv_forms())}
    return render(request, "ramunet/oversight/sdv.html", context)


@oversight_view
def sdv_centre(request: HttpRequest, centre: str) -> HttpResponse:
    """The patients of one centre with their SDV counts."""
    site = Centre.objects.filter(code=centre).first()
    if site is None:
        raise Http404(_("centre %(code)s does not exist") % {"code": centre})
    _require_sdv_or_review(request.user)
    require_at(request.user, Capability.VIEW_PATIENTS, site)
    _require_sdv_or_review(request.user, site)
    patients = (
        Patient.objects.filter(centre=site).order_by("code").values_list("pk", "code", "locked")
    )
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = patients_progress(page, review.full_sdv_forms())
    return render(
        request, "ramunet/oversight/sdv_centre.html", {"centre": site, "rows": rows, "page": page}
    )


@oversight_view
def sdv_patient(request: HttpRequest, code: str) -> HttpResponse:
    """Every form of the patient with its SDV and review marks, and the buttons to mark."""
    patient = get_patient(request.user, code, Capability.VIEW_PATIENTS)
    _require_sdv_or_review(request.user, patient.centre)
    context = {
        "patient": patient,
        "labels": row_labels(),
        "rows": patient_form_rows(patient, review.full_sdv_forms()),
        **_abilities(request.user, patient.centre_id),
    }
    return render(request, "ramunet/oversight/sdv_patient.html", context)


@oversight_view
def sdv_form(request: HttpRequest, form_code: str, pk: int) -> HttpResponse:
    """POST ``action`` verify (monitor) or review (data manager) on one form."""
    form = get_form(request.user, form_code, pk, Capability.VIEW_PATIENTS)
    if request.method != "POST":
        return redirect("oversight:sdv_patient", code=form.patient.code)
    action = request.POST.get("action", "")
    error = None
    try:
        if action == "verify":
            review.verify_source(request.user, form)
        elif action == "review":
            review.review_form(request.user, form)
        else:
            raise InvalidInput(
                "action", f"not recognised; expected {', '.join(SDV_ACTIONS)}", action
            )
    except PermissionRefused:
        raise
    except (InvalidInput, WorkflowError) as problem:
        error = describe(problem)
    if not is_htmx(request):
        if error is None:
            return redirect("oversight:sdv_patient", code=form.patient.code)
        context = {
            "patient": form.patient,
            "labels": row_labels(),
            "rows": patient_form_rows(form.patient, review.full_sdv_forms()),
            "error": error,
            **_abilities(request.user, form.patient.centre_id),
        }
        return render(request, "ramunet/oversight/sdv_patient.html", context, status=400)
    context = {
        "row": form_row(form, review.full_sdv_forms()),
        "labels": row_labels(),
        "error": error,
        "patient": form.patient,
        **_abilities(request.user, form.patient.centre_id),
    }
    return render(request, "ramunet/oversight/partials/sdv_row.html", context)
