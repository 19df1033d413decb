"""Freezing forms, locking patients and the database, and lifting either with a reason;
the live "ready to lock" checklist (``locking.checklist``; ICH E6(R3) §4.2 data handling,
EMA guideline on computerised systems 2023 §7 on locking)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import FORMS, FormRecord
from ramunet.edc.locking import services as locking
from ramunet.edc.locking.checklist import Checklist, checklist
from ramunet.edc.oversight.cache import cached
from ramunet.edc.oversight.casebook_rows import patient_form_rows, row_labels
from ramunet.edc.oversight.guards import describe, get_patient, oversight_view
from ramunet.edc.review import services as review
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability

PATIENT_ACTIONS = ("freeze", "unfreeze", "lock", "unlock")
PAGE_SIZE = 50


def lock_status_per_centre(user: Any) -> list[dict[str, Any]]:
    """Patients locked and not yet locked per centre in scope (one query)."""
    rows = access.scope(Patient.objects.all(), user, Capability.VIEW_PATIENTS)
    return list(
        rows.values("centre__code")
        .annotate(total=Count("pk"), locked=Count("pk", filter=Q(locked=True)))
        .order_by("centre__code")
    )


@oversight_view
def locks(request: HttpRequest) -> HttpResponse:
    """Database lock state and actions, patients per centre, the checklist (loaded apart)."""
    access.require(request.user, Capability.REVIEW)
    centre = request.GET.get("centre", "")
    patients = access.scope(
        Patient.objects.select_related("centre"), request.user, Capability.VIEW_PATIENTS
    )
    if centre:
        patients = patients.filter(centre__code=centre)
    page = Paginator(patients.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "database_locked": audit.database_locked(),
        "per_centre": lock_status_per_centre(request.user),
        "page": page,
        "centre": centre,
        "centres": list(Centre.objects.values_list("code", flat=True)),
        "can_unlock": access.can(request.user, Capability.UNLOCK),
    }
    return render(request, "ramunet/oversight/locks.html", context)


def checklist_of(user: Any) -> Checklist:
    """The checklist, from the cache while the data are unchanged (``oversight.cache``)."""
    today = timezone.localdate()
    return cached(
        "checklist", user, Capability.VIEW_PATIENTS,
        lambda: checklist(user, today), today.isoformat(),
    )  # fmt: skip


@oversight_view
def lock_checklist(request: HttpRequest) -> HttpResponse:
    """The ready-to-lock checklist (an htmx fragment: it reads the whole study)."""
    access.require(request.user, Capability.REVIEW)
    context = {"checklist": checklist_of(request.user), "database_locked": audit.database_locked()}
    return render(request, "ramunet/oversight/partials/checklist.html", context)


@oversight_view
def lock_database(request: HttpRequest) -> HttpResponse:
    """POST ``action`` lock (with a justification per open checklist item) or unlock (reason)."""
    access.require(request.user, Capability.REVIEW)
    if request.method != "POST":
        return redirect("oversight:locks")
    action = request.POST.get("action", "")
    try:
        if action == "lock":
            justifications = {
                key.removeprefix("justify_"): value
                for key, value in request.POST.items()
                if key.startswith("justify_")
            }
            locking.lock_database(request.user, justifications=justifications)
        elif action == "unlock":
            locking.unlock_database(request.user, reason=request.POST.get("reason", ""))
        else:
            raise InvalidInput("action", "not recognised; expected lock, unlock", action)
    except PermissionRefused:
        raise
    except (InvalidInput, WorkflowError) as problem:
        context = {
            "checklist": checklist_of(request.user),
            "database_locked": audit.database_locked(),
            "error": describe(problem),
            "posted": request.POST,
        }
        return render(request, "ramunet/oversight/lock_database.html", context, status=400)
    return redirect("oversight:locks")


def _form_of(patient: Patient, token: str) -> FormRecord:
    code, _sep, pk = token.partition(":")
    model = FORMS.get(code)
    form = (
        model.objects.filter(pk=int(pk), patient=patient).first()
        if model and pk.isdigit()
        else None
    )
    if form is None:
        raise InvalidInput("form", f"not a form of patient {patient.code}", token)
    form.patient = patient
    return form


def _act(request: HttpRequest, patient: Patient) -> None:
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    if action == "freeze":
        locking.freeze_form(request.user, _form_of(patient, request.POST.get("form", "")))
    elif action == "unfreeze":
        form = _form_of(patient, request.POST.get("form", ""))
        locking.unfreeze_form(request.user, form, reason=reason)
    elif action == "lock":
        locking.lock_patient(request.user, patient)
    elif action == "unlock":
        locking.unlock_patient(request.user, patient, reason=reason)
    else:
        expected = ", ".join(PATIENT_ACTIONS)
        raise InvalidInput("action", f"not recognised; expected {expected}", action)


@oversight_view
def lock_patient(request: HttpRequest, code: str) -> HttpResponse:
    """One patient: freeze or unfreeze forms, lock or unlock the casebook (with a reason)."""
    patient = get_patient(request.user, code, Capability.VIEW_PATIENTS)
    access.require(request.user, Capability.REVIEW, patient.centre)
    error = None
    if request.method == "POST":
        try:
            _act(request, patient)
        except PermissionRefused:
            raise
        except (InvalidInput, WorkflowError) as problem:
            error = describe(problem)
        else:
            return redirect("oversight:lock_patient", code=patient.code)
        patient = get_patient(request.user, code, Capability.VIEW_PATIENTS)
    context = {
        "patient": patient,
        "labels": row_labels(),
        "rows": patient_form_rows(patient, review.full_sdv_forms()),
        "open_queries": patient.queries.exclude(status="closed").count(),
        "error": error,
        "can_unlock": access.can(request.user, Capability.UNLOCK, patient.centre),
    }
    status = 400 if error else 200
    return render(request, "ramunet/oversight/lock_patient.html", context, status=status)
