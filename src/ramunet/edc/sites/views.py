"""Login with lock-out and audit, the first-login password change, and the home page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.sites import access, services
from ramunet.edc.sites.models import Account, Centre
from ramunet.edc.sites.roles import CAPABILITIES, ROLE_LABELS, Capability, Role

ROLE_NAMES = {
    Role.INVESTIGATOR: _("Site investigator"),
    Role.NURSE: _("Site study nurse"),
    Role.CENTRAL_ENTRY: _("Central data entry"),
    Role.MONITOR: _("Monitor"),
    Role.DATA_MANAGER: _("Data manager"),
    Role.BIOMETRICIAN: _("Biometrician"),
    Role.PATHOLOGY: _("Central pathology"),
    Role.SPONSOR: _("Sponsor / PI"),
    Role.DSMB: _("DSMB"),
}  # the labels of ``roles.ROLE_LABELS``, translated

# Roles whose home is the site home (worklist, queries, screening); every other role's home
# is oversight's (monitor, data manager, biometrician, pathology, sponsor/PI, DSMB).
SITE_HOME_ROLES = frozenset({Role.INVESTIGATOR, Role.NURSE, Role.CENTRAL_ENTRY})


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing locked accounts and counting failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("This account is locked after repeated failed logins; try again later."),
        "otp": _("Enter the current 6-digit code of your authenticator app."),
    }
    otp = forms.CharField(
        label=_("Authenticator code (if you use two-factor authentication)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is not None and services.is_locked_out(user):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if user is not None and Account.objects.filter(user=user).exists():
                services.record_login(user, success=False)
            raise
        account = Account.objects.filter(user=self.get_user()).first()
        code = self.cleaned_data.get("otp", "")
        if (
            account is not None
            and account.two_factor
            and not services.check_second_factor(self.get_user(), code)
        ):
            services.record_login(self.get_user(), success=False)
            raise forms.ValidationError(self.error_messages["otp"], code="otp")
        services.record_login(self.get_user(), success=True)
        return cleaned


class LoginView(auth_views.LoginView):
    authentication_form = LockoutAuthenticationForm
    template_name = "registration/login.html"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Log in, then keep the language chosen on this page or apply the account's."""
        from ramunet.edc.web.language import apply_account_language

        response = super().form_valid(form)
        apply_account_language(self.request, response, form.get_user())
        return response


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password"]
            )
        except InvalidInput as error:
            form.add_error(error.field, error.rule)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            return redirect("home")
    return render(request, "ramunet/password_change.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    account = Account.objects.filter(user=request.user).first()
    if account and account.must_change_password:
        return redirect("password_change")
    if account and not account.two_factor and services.two_factor_required(request.user):
        return redirect("two_factor")
    grants = access.grants(request.user)
    held = {g.role for g in grants}
    if held and not held & SITE_HOME_ROLES:
        try:
            return redirect(reverse("oversight:home"))
        except NoReverseMatch:
            pass  # oversight's pages not installed yet: the plain home below
    centres = {c.pk: c for c in Centre.objects.all()}
    rows = [
        {
            "role": ROLE_NAMES.get(g.role, ROLE_LABELS[g.role]),
            "centre": centres[g.centre_id] if g.centre_id else None,
            "capabilities": sorted(c.value.replace("_", " ") for c in CAPABILITIES[g.role]),
        }
        for g in grants
    ]
    visible = access.scope(Centre.objects.all(), request.user, Capability.VIEW_PATIENTS, "pk")
    context: dict[str, Any] = {"account": account, "grants": rows, "centres": visible}
    if held & SITE_HOME_ROLES:
        from ramunet.edc.web.views_home import site_context

        context.update(site_context(request.user))
        context["site_home"] = True
    return render(request, "ramunet/home.html", context)


class TwoFactorForm(forms.Form):
    code = forms.CharField(label=_("Code shown by your authenticator app"), max_length=8)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the key, confirm one code, then it is on."""
    secret = request.session.get("totp_pending") or services.new_totp_secret()
    request.session["totp_pending"] = secret
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enable_two_factor(request.user, secret, form.cleaned_data["code"])
        except InvalidInput as error:
            form.add_error("code", error.rule)
        else:
            del request.session["totp_pending"]
            return redirect("home")
    return render(
        request,
        "ramunet/two_factor.html",
        {
            "form": form,
            "secret": secret,
            "uri": services.provisioning_uri(request.user, secret),
            "required": services.two_factor_required(request.user),
        },
    )
