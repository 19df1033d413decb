"""What every API view shares: authentication, the error mapping, scoped look-ups.

Scoping (``ramunet.edc.sites.access``): a person holding a capability nowhere is refused
(403); a patient or screening entry of a centre outside the person's scope is answered 404,
exactly like one that does not exist, so that other centres' records are not revealed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView

from ramunet.edc.api.errors import handle_api_error
from ramunet.edc.compiled import CompiledQuery
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability, Role
from ramunet.edc.sites.services import account_locked_out

SCREENING_LABEL = re.compile(r"^(?P<centre>[A-Z]{3})-S(?P<number>\d{1,6})$")


# the token, its user, the user's account and one row per role grant (LEFT JOIN: a person
# without grants still authenticates, and is then refused by the capability checks)
_TOKEN_WITH_GRANTS: CompiledQuery[Token] = CompiledQuery(
    lambda key: (
        Token.objects.select_related("user", "user__account")
        .filter(key=key)
        .annotate(
            grant_role=F("user__memberships__role"), grant_centre=F("user__memberships__centre_id")
        )
    ),
    "0" * 40,
)


class AccountTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing the token of a locked-out account.

    One query reads the token, its user, the user's account and the person's role grants
    (kept for ``sites.access`` for the request), compiled once per connection.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        # DRF's own checks, then the lock-out rule of ``sites.services.is_locked_out`` on
        # the account read with them
        rows = _TOKEN_WITH_GRANTS.objects(key)
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = rows[0]
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        account = getattr(user, "account", None)  # None: no account row
        if account_locked_out(account):
            raise exceptions.AuthenticationFailed("account locked after repeated failed logins")
        access.remember_grants(
            user,
            (
                access.Grant(Role(row.grant_role), row.grant_centre)  # type: ignore[attr-defined]
                for row in rows
                if row.grant_role is not None  # type: ignore[attr-defined]
            ),
        )
        return user, token


class ServiceView(APIView):
    """An API view whose writes go through the services, answering their errors (errors.py)."""

    authentication_classes = [AccountTokenAuthentication, SessionAuthentication]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Any]:
        return handle_api_error


def path_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, description=description)


PATIENT_CODE = path_parameter("patient_code", "pseudonymous patient code, e.g. HAL-003")
SCREENING_LABEL_PARAM = path_parameter("label", "screening log label, e.g. HAL-S001")
VISIT_CODE = path_parameter("visit_code", "visit code, e.g. C1D1, W12, U01")


def require_somewhere(user: Any, capabilities: Iterable[Capability]) -> list[Capability]:
    """The capabilities the person holds at some centre; 403 when none."""
    wanted = list(capabilities)
    held = [c for c in wanted if access.can(user, c)]
    if not held:
        access.require(user, wanted[0])  # raises PermissionRefused, naming the role
    return held


def visible_patients(
    user: Any, capabilities: Iterable[Capability] = (Capability.VIEW_PATIENTS,)
) -> Any:
    """The patients of the centres where the person holds any of ``capabilities`` (403: none)."""
    held = require_somewhere(user, capabilities)
    patients = Patient.objects.select_related("centre", "screening__centre")
    scoped = access.scope(patients, user, held[0])
    for capability in held[1:]:
        scoped = scoped | access.scope(patients, user, capability)
    return scoped


def visible_patient(
    user: Any,
    code: str,
    capabilities: Iterable[Capability] = (Capability.VIEW_PATIENTS,),
    related: tuple[str, ...] = ("centre", "screening__centre"),
) -> Patient:
    """The patient ``code`` if in the person's scope; 404 otherwise (not revealed).

    The scope of ``visible_patients`` judged in Python on the one row of that code: the
    centres where the person holds any of the capabilities (all centres when one is held
    study-wide), from the grants already read for this request. ``related``: the relations
    read with the patient (the form endpoints need only the centre).
    """
    held = require_somewhere(user, capabilities)
    scopes = [access.centre_ids(user, capability) for capability in held]
    found = _patient_by_code(related).objects(code)
    patient = found[0] if found else None
    if patient is None or not (
        any(ids is None for ids in scopes) or any(patient.centre_id in ids for ids in scopes if ids)
    ):
        raise Http404(f"no patient {code}")
    return patient


@functools.cache
def _patient_by_code(related: tuple[str, ...]) -> CompiledQuery[Patient]:
    """The patient of one code with ``related``, compiled once per connection (codes are
    unique)."""
    return CompiledQuery(
        lambda code: Patient.objects.select_related(*related).filter(code=code), "HAL-000"
    )


def visible_entries(user: Any) -> Any:
    require_somewhere(user, [Capability.VIEW_PATIENTS])
    entries = ScreeningEntry.objects.select_related("centre", "patient")
    return access.scope(entries, user, Capability.VIEW_PATIENTS)


def visible_entry(user: Any, label: str) -> ScreeningEntry:
    """The screening entry ``HAL-S001`` if in the person's scope; 404 otherwise."""
    match = SCREENING_LABEL.match(label)
    entries = visible_entries(user)
    entry: ScreeningEntry | None = (
        entries.filter(centre__code=match["centre"], number=int(match["number"])).first()
        if match
        else None
    )
    if entry is None:
        raise Http404(f"no screening entry {label}")
    return entry
