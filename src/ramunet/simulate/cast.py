"""The people and centres a simulated trial writes as: one nurse and one investigator per
centre, the monitor, the data manager and central pathology.

The demo's accounts (``ramunet.edc.sites.demo``) are used where they exist; missing centres
and accounts are created through ``ramunet.edc.sites.services`` on the same pattern
(``nurse.ber``, ``investigator.ber``; password ``DEMO_PASSWORD``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ramunet.edc.sites import services
from ramunet.edc.sites.demo import DEMO_PASSWORD, DEMO_RANGES
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import ROLE_LABELS, Role
from ramunet.simulate.config import CENTRE_POOL
from ramunet.simulate.trial_model import activation_dates


@dataclass(frozen=True)
class Cast:
    """Who writes what: site staff per centre code, and the central roles."""

    centres: dict[str, Centre]
    nurses: dict[str, Any]
    investigators: dict[str, Any]
    monitor: Any
    data_manager: Any
    pathology: Any

    def activations(self) -> dict[str, dt.date]:
        return {code: c.activated_on for code, c in self.centres.items() if c.activated_on}


def _person(username: str, role: Role, centre: Centre | None) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        return user
    label = ROLE_LABELS[role] + (f" ({centre.code})" if centre else "")
    user = services.create_person(
        "system",
        username=username,
        printed_name=f"Demo {label}",
        password=DEMO_PASSWORD,
        must_change_password=False,
    )
    services.grant_role("system", user, role, centre)
    return user


def _central(role: Role, username: str) -> Any:
    """The first active account holding ``role`` study-wide, else a new one."""
    from ramunet.edc.sites.models import Membership

    held = (
        Membership.objects.filter(role=role.value, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return held.user if held is not None else _person(username, role, None)


@transaction.atomic
def assemble_cast(count: int, start: dt.date) -> Cast:
    """``count`` centres (the existing ones first, then from ``CENTRE_POOL``) with staff."""
    centres = {c.code: c for c in Centre.objects.order_by("activated_on", "code")[:count]}
    missing = [row for row in CENTRE_POOL if row[0] not in centres][: count - len(centres)]
    planned = activation_dates([code for code, _, _ in missing], start)
    for code, name, city in missing:
        centre = services.create_centre(
            "system", code=code, name=name, city=city, activated_on=planned[code]
        )
        for analyte, unit, lln, uln in DEMO_RANGES:
            services.add_reference_range(
                "system",
                centre,
                analyte=analyte,
                unit=unit,
                lln=Decimal(lln) if lln else None,
                uln=Decimal(uln) if uln else None,
                valid_from=start - dt.timedelta(days=365),
            )
        centres[code] = centre
    nurses = {c: _person(f"nurse.{c.lower()}", Role.NURSE, centres[c]) for c in centres}
    investigators = {
        c: _person(f"investigator.{c.lower()}", Role.INVESTIGATOR, centres[c]) for c in centres
    }
    return Cast(
        centres=centres,
        nurses=nurses,
        investigators=investigators,
        monitor=_central(Role.MONITOR, "monitor"),
        data_manager=_central(Role.DATA_MANAGER, "datamanager"),
        pathology=_central(Role.PATHOLOGY, "pathology"),
    )
