"""Tiny factories for test data: plain functions over the audited services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ramunet.edc.sites import services
from ramunet.edc.sites.models import Centre

PASSWORD = "correct-horse-battery-staple"


def make_centre(
    code: str = "HAL", name: str = "Universitätsklinikum Halle", **fields: Any
) -> Centre:
    fields.setdefault("activated_on", dt.date(2019, 6, 1))
    return services.create_centre("system", code=code, name=name, **fields)


def make_person(username: str, role: str, centre: Centre | None = None, **fields: Any) -> Any:
    fields.setdefault("must_change_password", False)
    user = services.create_person(
        "system", username=username, printed_name=username.title(), password=PASSWORD, **fields
    )
    services.grant_role("system", user, role, centre)
    return user
