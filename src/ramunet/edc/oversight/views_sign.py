"""The investigator's electronic signature of a casebook: what is signed (the casebook digest
over every form version), the meaning, and the password (and second factor) asked again
(21 CFR 11.50 signature manifestations; 11.200 re-authentication at signing)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from ramunet.clinical.errors import PermissionRefused, WorkflowError
from ramunet.edc.oversight.guards import describe, get_patient, oversight_view
from ramunet.edc.review import services as review
from ramunet.edc.review.models import Signature
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.models import Account
from ramunet.edc.sites.roles import Capability


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _status(patient: Patient, digest: str) -> review.SignatureStatus:
    """``review.signature_status`` with the digest the page computed already (it reads every
    form of the casebook: once is enough)."""
    signature = Signature.objects.filter(patient=patient).order_by("-signed_at", "-pk").first()
    if signature is None:
        return review.SignatureStatus(False, False)
    return review.SignatureStatus(True, signature.casebook_digest == digest, signature)


@oversight_view
def sign(request: HttpRequest, code: str) -> HttpResponse:
    patient = get_patient(request.user, code, Capability.SIGN)
    account = Account.objects.filter(user=request.user).first()
    form = SignForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review.sign_casebook(
                    request.user,
                    patient,
                    password=form.cleaned_data["password"],
                    otp=form.cleaned_data["otp"],
                )
            except PermissionRefused as refusal:
                form.add_error("password" if "password" in str(refusal) else "otp", str(refusal))
                status = 400
            except WorkflowError as problem:
                error = describe(problem)
                status = 400
            else:
                return redirect("oversight:sign", code=patient.code)
        else:
            status = 400
    digest, count = review.casebook_digest(patient)
    context = {
        "patient": patient,
        "form": form,
        "error": error,
        "digest": digest,
        "forms_count": count,
        "meaning": review.SIGNATURE_MEANING,
        "status": _status(patient, digest),
        "printed_name": (account.printed_name if account else "") or request.user.get_username(),
        "two_factor": bool(account and account.two_factor),
    }
    return render(request, "ramunet/oversight/sign.html", context, status=status)
