"""One eCRF page: the form of a visit (or an event form), saved through ``save_form``.

Hard edit checks come back as the service's ``InvalidInput`` and show at their field (nothing
saved); soft ones are saved and show as warnings at their field (the open discrepancies of
the form). A saved form is changed from its version (optimistic concurrency: a conflict shows
what the other person saved) and with a reason for the change (ICH E6(R2) 4.9.0, ALCOA).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ramunet.clinical import dosing
from ramunet.clinical.errors import ConflictError, InvalidInput, WorkflowError
from ramunet.edc.crfs.checks import DOSE_TOLERANCE
from ramunet.edc.crfs.models import FORMS, Discrepancy, FormRecord
from ramunet.edc.crfs.services import save_form
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.visits.models import Visit
from ramunet.edc.web import scoping
from ramunet.edc.web.crf_forms import (
    MISSING_SUFFIX,
    field_specs,
    form_class,
    initial_of,
    values_of,
)
from ramunet.edc.web.errors import refuse
from ramunet.edc.web.labels import FORM_TITLES
from ramunet.protocol.schedule import EVENT_FORMS


def _model(form_code: str) -> type[FormRecord]:
    model = FORMS.get(form_code)
    if model is None:
        raise Http404(_("No eCRF %(code)s.") % {"code": form_code})
    return model


def _visit(patient: Patient, visit_id: int) -> Visit:
    visit = Visit.objects.filter(patient=patient, pk=visit_id).first()
    if visit is None:
        raise Http404(_("No visit %(id)s for %(code)s.") % {"id": visit_id, "code": patient.code})
    return visit


def _instance(
    request: HttpRequest, model: type[FormRecord], patient: Patient, visit: Visit
) -> FormRecord | None:
    pk = request.GET.get("instance") or request.POST.get("instance")
    rows = model.objects.select_related("patient__centre").filter(patient=patient)
    if pk:
        instance = rows.filter(pk=pk).first() if str(pk).isdigit() else None
        if instance is None:
            raise Http404(_("No such form of %(code)s.") % {"code": patient.code})
        return instance
    if model.FORM_CODE in EVENT_FORMS or model.REPEATING:
        return None
    return rows.filter(visit=visit).first()


def _rows(form: Any, model: type[FormRecord], instance: FormRecord | None) -> list[dict[str, Any]]:
    """One row per entered field: the value, its unit, its missing code, warnings, derived."""
    warnings: dict[str, list[str]] = {}
    if instance is not None:
        for field, message in Discrepancy.objects.filter(
            form_model=model._meta.label, form_pk=instance.pk, status=Discrepancy.Status.OPEN
        ).values_list("field", "message"):
            warnings.setdefault(field.split(".")[0], []).append(message)
    derived = (instance.derived if instance is not None else {}) or {}
    rows = []
    for spec in field_specs(model):
        entry = derived.get(spec.name) if isinstance(derived.get(spec.name), dict) else None
        grades = []
        if entry:
            grades = [g for g in entry.get("ctcae", []) if g.get("grade") is not None]
        rows.append(
            {
                "field": form[spec.name],
                "unit": form[spec.unit] if spec.unit else None,
                "missing": form[spec.name + MISSING_SUFFIX] if spec.missing else None,
                "warnings": warnings.get(spec.name, []),
                "flag": entry.get("flag") if entry else None,
                "grades": grades,
            }
        )
    return rows


def _dose(data: dict[str, Any]) -> dict[str, Any] | None:
    """The protocol dose for the weight (and height) as entered, with its formula and the
    10% deviation rule (clinical-rules.md §4.2; ``crfs.checks.check_exposure``)."""
    drug, weight, height = data.get("drug"), data.get("weight_kg"), data.get("height_cm")
    if not drug or not weight:
        return None
    try:
        if drug == "ramucirumab":
            calc = dosing.ramucirumab_dose(weight)
        elif height:
            calc = dosing.dacarbazine_dose(height, weight)
        else:
            return {"error": _("Enter the height to compute the dacarbazine dose (mg/m²).")}
    except InvalidInput as error:
        return {"error": str(error)}
    low = calc.dose_mg * (1 - DOSE_TOLERANCE)
    high = calc.dose_mg * (1 + DOSE_TOLERANCE)
    result: dict[str, Any] = {
        "dose_mg": calc.dose_mg,
        "formula": calc.formula,
        "bsa": calc.bsa.formula if calc.bsa else "",
        "low": low.quantize(calc.dose_mg),
        "high": high.quantize(calc.dose_mg),
        "deviation": None,
    }
    given = data.get("dose_given_mg")
    if given is not None and calc.dose_mg:
        pct = (given - calc.dose_mg) / calc.dose_mg * 100
        if abs(pct) > DOSE_TOLERANCE * 100:
            result["deviation"] = pct.quantize(type(pct)("0.1"))
    return result


def _links(model: type[FormRecord], instance: FormRecord | None) -> dict[str, str]:
    """Oversight's pages for this form, when they exist (audit trail)."""
    from django.urls import NoReverseMatch

    if instance is None:
        return {}
    try:
        return {
            "audit": reverse("oversight:form_audit", args=[model.FORM_CODE, instance.pk]),
        }
    except NoReverseMatch:
        return {}


def _render(
    request: HttpRequest,
    patient: Patient,
    visit: Visit,
    model: type[FormRecord],
    instance: FormRecord | None,
    form: Any,
    status: int = 200,
    conflict: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    editable = access.can(request.user, model.CAPABILITY, patient.centre_id)
    dose = None
    if model.FORM_CODE == "EXPOSURE":
        if form.is_bound and form.is_valid():
            dose = _dose(form.cleaned_data)
        elif instance is not None:
            dose = _dose(
                {f: getattr(instance, f) for f in ("drug", "weight_kg", "height_cm")}
                | {"dose_given_mg": instance.dose_given_mg}
            )
    return render(
        request,
        "ramunet/web/crf_form.html",
        {
            "patient": patient,
            "visit": visit,
            "model": model,
            "code": model.FORM_CODE,
            "title": FORM_TITLES.get(model.FORM_CODE, model.FORM_CODE),
            "instance": instance,
            "form": form,
            "rows": _rows(form, model, instance),
            "editable": editable and not getattr(patient, "locked", False),
            "dose": dose,
            "conflict": conflict,
            "links": _links(model, instance),
        },
        status=status,
    )


def _conflict(model: type[FormRecord], instance: FormRecord, posted: dict[str, Any]) -> list[Any]:
    """What the other person saved: every field whose stored value differs from the post."""
    current = model.objects.get(pk=instance.pk)
    changes = []
    for spec in field_specs(model):
        stored = getattr(current, spec.name)
        if spec.name in posted and posted[spec.name] != stored:
            changes.append({"field": spec.name, "stored": stored, "yours": posted[spec.name]})
    return changes


@login_required
def form_page(request: HttpRequest, code: str, visit_id: int, form_code: str) -> HttpResponse:
    patient = scoping.patient_or_404(request.user, code)
    visit = _visit(patient, visit_id)
    model = _model(form_code)
    if model.SERVICE:
        from ramunet.edc.web.views_tumour import tumour_page

        return tumour_page(request, patient, visit)
    instance = _instance(request, model, patient, visit)
    cls = form_class(model)
    if request.method != "POST":
        return _render(
            request, patient, visit, model, instance, cls(initial=initial_of(model, instance))
        )
    scoping.require(request.user, model.CAPABILITY, patient.centre_id)
    form = cls(request.POST)
    if not form.is_valid():
        return _render(request, patient, visit, model, instance, form, status=400)
    reason = form.cleaned_data.get("reason", "").strip()
    if instance is not None and not reason:
        form.add_error("reason", _("A reason is required to change a saved form."))
        return _render(request, patient, visit, model, instance, form, status=400)
    values = values_of(model, form.cleaned_data)
    event = model.FORM_CODE in EVENT_FORMS
    try:
        result = save_form(
            request.user,
            model,
            patient=patient,
            visit=None if event else visit,
            values=values,
            instance=instance,
            expected_version=form.cleaned_data.get("version") if instance else None,
            reason=reason,
        )
    except ConflictError as error:
        form.add_error(None, str(error))
        assert instance is not None
        changes = _conflict(model, instance, values)
        return _render(request, patient, visit, model, instance, form, 409, changes)
    except (InvalidInput, WorkflowError) as error:
        return _render(request, patient, visit, model, instance, form, refuse(form, error))
    saved = result.form
    if result.opened:
        messages.warning(
            request,
            _("Saved with %(n)s warning(s) to check against the source.")
            % {"n": len(result.opened)},
        )
    else:
        messages.success(request, _("Form saved."))
    url = reverse("web:form", args=[patient.code, visit.pk, model.FORM_CODE])
    return redirect(f"{url}?instance={saved.pk}")


@login_required
@require_POST
def dose_preview(request: HttpRequest, code: str, visit_id: int) -> HttpResponse:
    """htmx: the computed dose, its formula and the deviation rule for the values as typed."""
    patient = scoping.patient_or_404(request.user, code)
    _visit(patient, visit_id)
    model = _model("EXPOSURE")
    form = form_class(model)(request.POST)
    form.is_valid()
    data = {
        k: form.cleaned_data.get(k) for k in ("drug", "weight_kg", "height_cm", "dose_given_mg")
    }
    return render(request, "ramunet/web/_dose.html", {"dose": _dose(data)})
