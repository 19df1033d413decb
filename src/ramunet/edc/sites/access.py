"""Who may do what where: every view, API endpoint, admin page and service asks here.

A person's memberships give roles, each for one centre or study-wide; a role's capabilities
come from ``roles.CAPABILITIES``. ``require`` raises ``PermissionRefused``; ``scope`` narrows
a queryset to the centres where the person holds the capability.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from ramunet.clinical.errors import PermissionRefused
from ramunet.edc.sites.models import Centre, Membership
from ramunet.edc.sites.roles import CAPABILITIES, Capability, Role

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Grant:
    role: Role
    centre_id: int | None  # None: study-wide


def grants(user: Any) -> tuple[Grant, ...]:
    """The person's role grants, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached: tuple[Grant, ...] | None = getattr(user, "_ramunet_grants", None)
    if cached is None:
        cached = tuple(
            Grant(Role(m.role), m.centre_id)
            for m in Membership.objects.filter(user=user).only("role", "centre_id")
        )
        user._ramunet_grants = cached
    return cached


def remember_grants(user: Any, found: Iterable[Grant]) -> None:
    """Keep the person's grants, read with the user (API token authentication), for the
    request, as ``grants`` would have read them."""
    user._ramunet_grants = tuple(found)


def forget_grants(user: Any) -> None:
    if hasattr(user, "_ramunet_grants"):
        del user._ramunet_grants


def roles(user: Any) -> set[Role]:
    return {g.role for g in grants(user)}


def centre_ids(user: Any, capability: Capability) -> set[int] | None:
    """Centres where the person holds ``capability``: a set of ids, or None for all centres."""
    ids: set[int] = set()
    for grant in grants(user):
        if capability in CAPABILITIES[grant.role]:
            if grant.centre_id is None:
                return None
            ids.add(grant.centre_id)
    return ids


def can(user: Any, capability: Capability, centre: Centre | int | None = None) -> bool:
    """Whether the person holds ``capability`` (at ``centre`` when one is given)."""
    scope = centre_ids(user, capability)
    if scope is None:
        return any(capability in CAPABILITIES[g.role] for g in grants(user))
    if centre is None:
        return bool(scope)
    centre_id = centre if isinstance(centre, int) else centre.pk
    return centre_id in scope


def require(user: Any, capability: Capability, centre: Centre | int | None = None) -> None:
    """Raise ``PermissionRefused`` unless the person may use ``capability`` there."""
    if can(user, capability, centre):
        return
    who = getattr(user, "username", "anonymous") or "anonymous"
    held = ", ".join(sorted(r.value for r in roles(user))) or "no role"
    where = ""
    if centre is not None:
        code = centre.code if isinstance(centre, Centre) else _centre_code(centre)
        where = f" at centre {code}"
    raise PermissionRefused(f"{who} ({held}) may not {capability.value.replace('_', ' ')}{where}")


def _centre_code(centre_id: int) -> str:
    return Centre.objects.filter(pk=centre_id).values_list("code", flat=True).first() or "?"


def scope(
    queryset: QuerySet[M], user: Any, capability: Capability, centre_field: str = "centre"
) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows of centres where the person holds ``capability``."""
    ids = centre_ids(user, capability)
    if ids is None:
        return queryset if can(user, capability) else queryset.none()
    return queryset.filter(**{f"{centre_field}__in": ids})
