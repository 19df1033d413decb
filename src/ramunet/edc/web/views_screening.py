"""Screening pages: the log, a new candidate, the screening form with its live eligibility
checklist (htmx), a screening failure, and registration by the centre's investigator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import ScreeningEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.web import labels, scoping
from ramunet.edc.web.errors import refuse
from ramunet.edc.web.screening_form import ScreeningForm, initial_from, payload_from
from ramunet.protocol.eligibility import evaluate_eligibility_dict

PAGE_SIZE = 100


def _badge(table: dict[str, tuple[Any, str]], key: str) -> dict[str, Any]:
    text, tone = table.get(key, (key, "muted"))
    return {"text": text, "tone": tone}


@login_required
def screening_list(request: HttpRequest) -> HttpResponse:
    scoping.require(request.user, Capability.SCREEN)
    entries = access.scope(
        ScreeningEntry.objects.select_related("centre").order_by("-screened_on", "-pk"),
        request.user,
        Capability.SCREEN,
    )
    status = request.GET.get("status", "")
    if status in labels.SCREENING_STATUS:
        entries = entries.filter(status=status)
    rows = [
        {
            "entry": entry,
            "status": _badge(labels.SCREENING_STATUS, entry.status),
            "verdict": _badge(labels.VERDICTS, entry.verdict),
        }
        for entry in entries.only(
            "pk", "centre__code", "number", "screened_on", "year_of_birth", "sex", "status",
            "verdict",
        )[:PAGE_SIZE]
    ]  # fmt: skip
    return render(
        request,
        "ramunet/web/screening_list.html",
        {"rows": rows, "status": status, "statuses": labels.SCREENING_STATUS},
    )


class NewCandidateForm(forms.Form):
    centre = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Centre"), empty_label=None)
    screened_on = forms.DateField(
        label=gettext_lazy("Screening date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    year_of_birth = forms.IntegerField(label=gettext_lazy("Year of birth"))
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        choices=[("female", gettext_lazy("female")), ("male", gettext_lazy("male"))],
    )
    initials = forms.CharField(
        label=gettext_lazy("Initials (at most 3 letters, no names)"), required=False, max_length=3
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centres = access.scope(
            ScreeningEntry._meta.get_field("centre").related_model.objects.order_by("code"),
            user,
            Capability.SCREEN,
            "pk",
        )
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]


@login_required
def screening_new(request: HttpRequest) -> HttpResponse:
    scoping.require(request.user, Capability.SCREEN)
    form = NewCandidateForm(
        request.POST or None,
        user=request.user,
        initial={"screened_on": timezone.localdate()},
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = screening.log_candidate(
                request.user,
                data["centre"],
                screened_on=data["screened_on"],
                year_of_birth=data["year_of_birth"],
                sex=data["sex"],
                initials=data["initials"],
            )
        except (InvalidInput, WorkflowError) as error:
            status = refuse(form, error)
        else:
            messages.success(request, _("Candidate %(label)s logged.") % {"label": entry.label})
            return redirect("web:screening_detail", pk=entry.pk)
    return render(request, "ramunet/web/screening_new.html", {"form": form}, status=status)


def _checklist(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The live checklist: every criterion's state and reason, or the input error."""
    if payload is None:
        return {"error": None, "verdict": None, "criteria": []}
    try:
        result = evaluate_eligibility_dict(payload)
    except InvalidInput as error:
        return {"error": str(error), "verdict": None, "criteria": []}
    return {
        "error": None,
        "verdict": _badge(labels.VERDICTS, result.verdict.value),
        "criteria": [
            {
                "id": item.id,
                "short": item.criterion.short,
                "state": _badge(labels.CRITERION_STATES, item.state.value),
                "reason": item.reason,
            }
            for item in result.criteria
        ],
    }


def _form_for(request: HttpRequest, entry: ScreeningEntry) -> ScreeningForm:
    if request.method == "POST":
        return ScreeningForm(request.POST)
    return ScreeningForm(initial={**initial_from(entry.data or {}), "version": entry.version})


def _detail(
    request: HttpRequest, entry: ScreeningEntry, form: ScreeningForm, status: int = 200
) -> HttpResponse:
    payload = None
    if form.is_bound and form.is_valid():
        payload = payload_from(form.cleaned_data, entry.sex)
    elif not form.is_bound and entry.data:
        payload = dict(entry.data)
    return render(
        request,
        "ramunet/web/screening_detail.html",
        {
            "entry": entry,
            "form": form,
            "checklist": _checklist(payload),
            "editable": entry.status == ScreeningEntry.Status.OPEN,
            "status": _badge(labels.SCREENING_STATUS, entry.status),
            "not_met": [f for f in entry.findings if f.get("state") == "not met"],
            "can_register": entry.status == ScreeningEntry.Status.OPEN
            and entry.verdict in ("eligible", "needs review")
            and access.can(request.user, Capability.REGISTER, entry.centre_id),
        },
        status=status,
    )


@login_required
def screening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = scoping.entry_or_404(request.user, pk)
    form = _form_for(request, entry)
    if request.method != "POST":
        return _detail(request, entry, form)
    if not form.is_valid():
        return _detail(request, entry, form, status=400)
    try:
        entry = screening.update_screening_data(
            request.user,
            entry,
            payload_from(form.cleaned_data, entry.sex),
            expected_version=form.cleaned_data["version"] or 0,
            reason=form.cleaned_data["reason"],
        )
    except (InvalidInput, WorkflowError) as error:
        status = refuse(form, error)
        return _detail(request, entry, form, status=status)
    messages.success(request, _("Screening data of %(label)s saved.") % {"label": entry.label})
    return redirect("web:screening_detail", pk=entry.pk)


@login_required
@require_POST
def screening_check(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the checklist for the data as typed so far (nothing is saved)."""
    entry = scoping.entry_or_404(request.user, pk)
    form = ScreeningForm(request.POST)
    payload = payload_from(form.cleaned_data, entry.sex) if form.is_valid() else None
    checklist = _checklist(payload)
    if not form.is_valid():
        checklist["error"] = _("Some fields hold values that are not valid; see the form.")
    return render(request, "ramunet/web/_checklist.html", {"checklist": checklist})


@login_required
@require_POST
def screening_failure(request: HttpRequest, pk: int) -> HttpResponse:
    entry = scoping.entry_or_404(request.user, pk)
    reasons = [r for r in request.POST.getlist("criteria") if r]
    other = request.POST.get("other_reason", "").strip()
    if other:
        reasons.append(other)
    try:
        screening.record_screening_failure(request.user, entry, reasons)
    except (InvalidInput, WorkflowError) as error:
        messages.error(request, str(error))
        return redirect("web:screening_detail", pk=entry.pk)
    messages.success(
        request, _("%(label)s recorded as a screening failure.") % {"label": entry.label}
    )
    return redirect("web:screening_list")


class RegisterForm(forms.Form):
    consent_date = forms.DateField(
        label=gettext_lazy("Date of informed consent"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    planned_first_dose = forms.DateField(
        label=gettext_lazy("Planned first dose"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirmed_criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Criteria you confirm"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    attestations_confirmed = forms.BooleanField(
        label=gettext_lazy("I confirm the eligibility attestations (ICH E6(R2) 4.3)"),
        required=False,
    )

    def __init__(self, *args: Any, to_confirm: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirmed_criteria"].choices = [(c, c) for c in to_confirm]  # type: ignore[attr-defined]


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    entry = scoping.entry_or_404(request.user, pk)
    scoping.require(request.user, Capability.REGISTER, entry.centre_id)
    to_confirm = [
        f["id"] for f in entry.findings if f.get("state") == "investigator confirmation needed"
    ]
    data = entry.data or {}
    form = RegisterForm(
        request.POST or None,
        to_confirm=to_confirm,
        initial={
            "consent_date": _iso(data.get("consent_date")),
            "planned_first_dose": _iso(data.get("planned_first_dose_date")),
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                patient = screening.register(
                    request.user,
                    entry,
                    consent_date=form.cleaned_data["consent_date"],
                    planned_first_dose=form.cleaned_data["planned_first_dose"],
                    attestations_confirmed=form.cleaned_data["attestations_confirmed"],
                    confirmed_criteria=form.cleaned_data["confirmed_criteria"],
                )
            except (InvalidInput, WorkflowError) as error:
                status = refuse(form, error)
            else:
                messages.success(
                    request,
                    _("%(label)s registered as %(code)s.")
                    % {"label": entry.label, "code": patient.code},
                )
                return redirect("web:casebook", code=patient.code)
    return render(
        request,
        "ramunet/web/register.html",
        {"entry": entry, "form": form, "verdict": _badge(labels.VERDICTS, entry.verdict)},
        status=status,
    )
