"""What every oversight view needs: finding a form or patient in scope, refusing politely,
and telling htmx requests from page loads.

Each lookup checks role and centre through ``ramunet.edc.sites.access`` before anything of
the record is shown; a refusal becomes a 403 page that names the capability and centre.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ramunet.clinical.errors import InvalidInput, PermissionRefused, RamunetError
from ramunet.edc.crfs.models import FORMS, FormRecord
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites import services as sites_services
from ramunet.edc.sites.models import Account, Centre
from ramunet.edc.sites.roles import Capability

# form model label ("crfs.Haematology") -> form code ("HAEM")
FORM_CODES: dict[str, str] = {model._meta.label: code for code, model in FORMS.items()}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_model(form_code: str) -> type[FormRecord]:
    try:
        return FORMS[form_code]
    except KeyError:
        raise Http404(
            _("form_code %(code)r not recognised; expected one of %(codes)s")
            % {"code": form_code, "codes": ", ".join(sorted(FORMS))}
        ) from None


def get_form(user: Any, form_code: str, pk: int, capability: Capability) -> FormRecord:
    """The form ``form_code`` #``pk``, if the person holds ``capability`` at its centre."""
    model = form_model(form_code)
    form = model.objects.select_related("patient__centre").filter(pk=pk).first()
    if form is None:
        raise Http404(_("%(code)s form #%(pk)s does not exist") % {"code": form_code, "pk": pk})
    require_at(user, capability, form.patient.centre)
    return form


def check_field(form: FormRecord, field: str) -> None:
    names = {f.name for f in form._meta.concrete_fields}
    if field not in names:
        raise Http404(
            _("field %(field)r is not a field of the %(code)s form")
            % {"field": field, "code": form.FORM_CODE}
        )


def get_patient(user: Any, code: str, capability: Capability) -> Patient:
    patient = Patient.objects.select_related("centre").filter(code=code).first()
    if patient is None:
        raise Http404(_("patient %(code)s does not exist") % {"code": code})
    require_at(user, capability, patient.centre)
    return patient


def require_at(user: Any, capability: Capability, centre: Centre) -> None:
    """As the site pages do: another centre's record is "not found" (its existence is not
    disclosed); a role without the capability anywhere is refused (403)."""
    if access.can(user, capability, centre):
        return
    if access.can(user, capability):
        raise Http404(_("no such record at the centres you can see"))
    access.require(user, capability, centre)


def refused(request: HttpRequest, error: PermissionRefused) -> HttpResponse:
    return render(request, "ramunet/oversight/refused.html", {"error": error}, status=403)


def describe(error: RamunetError) -> dict[str, str]:
    """An error from a service as the page shows it: field, rule and value when given."""
    if isinstance(error, InvalidInput):
        value = "" if error.value is None else str(error.value)
        return {"field": error.field, "rule": error.rule, "value": value}
    return {"field": "", "rule": str(error), "value": ""}


def int_param(request: HttpRequest, name: str) -> int | None:
    """An optional positive integer from the query string or form; bad text is refused."""
    raw = request.POST.get(name) if request.method == "POST" else request.GET.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise InvalidInput(name, "must be a whole number", raw)
    return int(raw)


View = Callable[..., HttpResponse]


def oversight_view(view: View) -> View:
    """Log-in required (with the first-login password change and a required second factor
    done, as on the site pages); a ``PermissionRefused`` becomes a 403 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = Account.objects.filter(user=request.user).first()
        if account is not None and account.must_change_password:
            return redirect("password_change")
        if (
            account is not None
            and not account.two_factor
            and sites_services.two_factor_required(request.user)
        ):
            return redirect("two_factor")
        try:
            return view(request, *args, **kwargs)
        except PermissionRefused as error:
            return refused(request, error)

    return login_required(wrapped)
