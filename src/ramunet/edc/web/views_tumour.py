"""Tumour assessment (RECIST 1.1): lesion rows, running sum, % change and the time-point
response, computed as the values are typed (htmx) and saved through ``crfs.tumour``.

The baseline declares the lesions with their sizes; a follow-up measures each baseline target
and records the non-target status and new lesions. The preview evaluates the patient's stored
course with the typed assessment in it (``crfs.tumour_course.evaluate_course``), exactly as
the save will.

References
----------
Eisenhauer EA et al. Eur J Cancer 2009;45:228-247 (RECIST 1.1), §3.1, §4.2-§4.4.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ramunet.clinical import recist
from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.crfs import tumour
from ramunet.edc.crfs.models import Lesion, TumourAssessment
from ramunet.edc.crfs.tumour_course import (
    evaluate_course,
    load_course,
    recist_baseline,
)
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit
from ramunet.edc.web import scoping
from ramunet.edc.web.choice_labels import translated

LESION_ROWS = 8


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _mm(value: str) -> Decimal | str | None:
    text = (value or "").strip()
    if not text:
        return None
    if text.lower() in ("too small", "ts"):
        return "too small"
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise InvalidInput("diameter_mm", "must be a number of millimetres", text) from None


def _lesions(post: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(LESION_ROWS):
        label = post.get(f"lesion{i}_label", "").strip()
        if not label:
            continue
        rows.append(
            {
                "label": label,
                "target": post.get(f"lesion{i}_target") == "on",
                "organ": post.get(f"lesion{i}_organ", "").strip(),
                "nodal": post.get(f"lesion{i}_nodal") == "on",
                "location": "",
                "diameter_mm": _mm(post.get(f"lesion{i}_mm", "")),
            }
        )
    return rows


def _baseline_preview(post: Any) -> dict[str, Any]:
    """Running sum of the target diameters and the RECIST 1.1 baseline checks."""
    form_date = _date(post.get("form_date", "")) or timezone.localdate()
    row = TumourAssessment(form_date=form_date, method=post.get("method") or "ct", baseline=True)
    specs = _lesions(post)
    lesions = [
        Lesion(label=s["label"], target=s["target"], organ=s["organ"], nodal=s["nodal"])
        for s in specs
    ]
    sizes = {s["label"]: s["diameter_mm"] for s in specs}
    summary = recist.validate_baseline(recist_baseline(row, lesions, sizes))
    return {"sum_mm": summary.sum_diameters_mm, "targets": len(summary.target_ids)}


def _followup_preview(patient: Patient, post: Any) -> dict[str, Any]:
    course = load_course(patient)
    if course.baseline is None:
        raise InvalidInput("baseline", "enter the baseline assessment first")
    form_date = _date(post.get("form_date", ""))
    if form_date is None:
        raise InvalidInput("form_date", "enter the date of the assessment")
    editing = str(post.get("instance", ""))
    row = TumourAssessment(
        pk=int(editing) if editing.isdigit() else None,
        patient=patient,
        form_date=form_date,
        method=post.get("method") or "ct",
        non_target=post.get("non_target", ""),
        new_lesions=post.get("new_lesions") or "none",
    )
    sizes = {lesion.label: _mm(post.get(f"mm_{lesion.label}", "")) for lesion in course.targets}
    result, rows = evaluate_course(patient, course, replace=row, sizes=sizes)
    point = result.timepoints[rows.index(row)]
    return {
        "sum_mm": point.sum_diameters_mm,
        "baseline_mm": Decimal(point.baseline_tenth_mm).scaleb(-1),
        "nadir_mm": point.nadir_mm,
        "from_baseline": point.change_from_baseline_pct,
        "from_nadir": point.change_from_nadir_pct,
        "target": point.target.value,
        "non_target": point.non_target.value,
        "overall": point.overall.value,
    }


def _declared_baseline_preview(patient: Patient, post: Any) -> dict[str, Any]:
    """The running sum while the baseline diameters of declared lesions are corrected."""
    course = load_course(patient)
    assert course.baseline is not None
    form_date = _date(post.get("form_date", "")) or course.baseline.form_date
    row = TumourAssessment(form_date=form_date, method=post.get("method") or "ct", baseline=True)
    sizes = {lesion.label: _mm(post.get(f"mm_{lesion.label}", "")) for lesion in course.lesions}
    summary = recist.validate_baseline(recist_baseline(row, course.lesions, sizes))
    return {"sum_mm": summary.sum_diameters_mm, "targets": len(summary.target_ids)}


def _preview(patient: Patient, post: Any, baseline: bool) -> dict[str, Any]:
    try:
        if baseline and str(post.get("instance", "")).isdigit():
            values = _declared_baseline_preview(patient, post)
        elif baseline:
            values = _baseline_preview(post)
        else:
            values = _followup_preview(patient, post)
    except InvalidInput as error:
        return {"error": str(error)}
    return {"error": None, "baseline": baseline, **values}


def _editing(request: HttpRequest, patient: Patient) -> TumourAssessment | None:
    pk = request.GET.get("instance") or request.POST.get("instance")
    if not pk:
        return None
    found = (
        TumourAssessment.objects.filter(patient=patient, pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise Http404(_("No such form of %(code)s.") % {"code": patient.code})
    return found


def _initial(course: Any, instance: TumourAssessment | None) -> dict[str, Any]:
    """The values shown in the form: the posted ones, or those of the assessment edited."""
    if instance is None:
        return {}
    values: dict[str, Any] = {
        "form_date": instance.form_date.isoformat(),
        "method": instance.method,
        "non_target": instance.non_target,
        "new_lesions": instance.new_lesions,
        "investigator_response": instance.investigator_response,
    }
    lesions = course.lesions if instance.baseline else course.targets
    for lesion in lesions:
        measured = course.measurements.get((instance.pk, lesion.pk))
        if measured is None or measured.not_assessed:
            values[f"mm_{lesion.label}"] = ""
        elif measured.too_small:
            values[f"mm_{lesion.label}"] = "too small"
        else:
            values[f"mm_{lesion.label}"] = str(measured.diameter_mm)
    return values


def tumour_page(request: HttpRequest, patient: Patient, visit: Visit) -> HttpResponse:
    """GET: the patient's assessments and an entry form (``?instance=`` to correct one);
    POST: save a new assessment or the correction (with a reason)."""
    course = load_course(patient)
    instance = _editing(request, patient)
    baseline = instance.baseline if instance is not None else course.baseline is None
    status = 200
    error = None
    if request.method == "POST":
        scoping.require(request.user, Capability.ENTER_DATA, patient.centre_id)
        try:
            if instance is None:
                saved = _save(request, patient, visit, baseline)
            else:
                saved = _update(request, course, instance)
        except (InvalidInput, WorkflowError) as failure:
            error = str(failure)
            status = 409 if isinstance(failure, WorkflowError) else 400
        else:
            messages.success(
                request,
                _("Tumour assessment saved; computed response: %(r)s")
                % {"r": saved.overall_response or _("baseline")},
            )
            return redirect(reverse("web:form", args=[patient.code, visit.pk, "TUMOUR"]))
    assessments = [course.baseline, *course.followups] if course.baseline else []
    shown = request.POST if request.method == "POST" else _initial(course, instance)
    return render(
        request,
        "ramunet/web/tumour.html",
        {
            "patient": patient,
            "visit": visit,
            "baseline": baseline,
            "instance": instance,
            "assessments": assessments,
            "target_rows": [(t, shown.get(f"mm_{t.label}", "")) for t in course.targets],
            "lesion_rows": [(x, shown.get(f"mm_{x.label}", "")) for x in course.lesions],
            "rows": range(LESION_ROWS),
            "post": shown,
            "error": error,
            "preview": _preview(patient, shown, baseline) if shown else None,
            "editable": access.can(request.user, Capability.ENTER_DATA, patient.centre_id)
            and not patient.locked,
            "methods": TumourAssessment.Method.choices,
            "non_targets": translated(TumourAssessment.NonTarget.choices),
            "new_lesions": translated(TumourAssessment.NewLesions.choices),
            "responses": translated(TumourAssessment.Response.choices),
        },
        status=status,
    )


def _update(request: HttpRequest, course: Any, instance: TumourAssessment) -> Any:
    """Correct a saved assessment from its version, with the reason given."""
    post = request.POST
    reason = post.get("reason", "").strip()
    if not reason:
        raise InvalidInput("reason", "a reason is required to change a saved form")
    version = post.get("version", "")
    if not version.isdigit():
        raise InvalidInput("version", "is required to change a saved form", version)
    form_date = _date(post.get("form_date", ""))
    if form_date is None:
        raise InvalidInput("form_date", "enter the date of the assessment", post.get("form_date"))
    values: dict[str, Any] = {"form_date": form_date, "method": post.get("method") or "ct"}
    if instance.baseline:
        return tumour.update_baseline_assessment(
            request.user,
            instance,
            expected_version=int(version),
            reason=reason,
            values=values,
            diameters={
                lesion.label: _mm(post.get(f"mm_{lesion.label}", ""))
                for lesion in course.lesions
                if lesion.target
            },
        )
    values |= {
        "non_target": post.get("non_target", ""),
        "new_lesions": post.get("new_lesions") or "none",
        "investigator_response": post.get("investigator_response", ""),
    }
    return tumour.update_followup_assessment(
        request.user,
        instance,
        expected_version=int(version),
        reason=reason,
        values=values,
        measurements={t.label: _mm(post.get(f"mm_{t.label}", "")) for t in course.targets},
    )


def _save(request: HttpRequest, patient: Patient, visit: Visit, baseline: bool) -> Any:
    post = request.POST
    form_date = _date(post.get("form_date", ""))
    if form_date is None:
        raise InvalidInput("form_date", "enter the date of the assessment", post.get("form_date"))
    method = post.get("method") or "ct"
    if baseline:
        return tumour.save_baseline_assessment(
            request.user,
            patient,
            form_date=form_date,
            method=method,
            lesions=_lesions(post),
            visit=visit,
        )
    course = load_course(patient)
    return tumour.save_followup_assessment(
        request.user,
        patient,
        form_date=form_date,
        method=method,
        measurements={t.label: _mm(post.get(f"mm_{t.label}", "")) for t in course.targets},
        non_target=post.get("non_target", ""),
        new_lesions=post.get("new_lesions") or "none",
        investigator_response=post.get("investigator_response", ""),
        visit=visit,
    )


@login_required
@require_POST
def tumour_preview(request: HttpRequest, code: str, visit_id: int) -> HttpResponse:
    """htmx: running sum, % change and the time-point response for the values as typed."""
    patient = scoping.patient_or_404(request.user, code)
    edited = str(request.POST.get("instance", ""))
    rows = TumourAssessment.objects.filter(patient=patient, baseline=True)
    if edited.isdigit():
        course_baseline = rows.filter(pk=int(edited)).exists()
    else:
        course_baseline = not rows.exists()
    return render(
        request,
        "ramunet/web/_tumour_preview.html",
        {"preview": _preview(patient, request.POST, course_baseline)},
    )
