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


def make_patient(centre: Centre, sequence: int = 1, **fields: Any) -> Any:
    """A registered patient written straight through the audit service (no eligibility run):
    for tests of what happens after registration."""
    from ramunet.edc.audit import services as audit
    from ramunet.edc.screening.models import Patient, ScreeningEntry

    entry = audit.create(
        ScreeningEntry(
            centre=centre,
            number=1000 + sequence,
            screened_on=dt.date(2026, 1, 5),
            year_of_birth=1960,
            sex="female",
            status=ScreeningEntry.Status.REGISTERED,
        ),
        actor="system",
    )
    fields.setdefault("consent_date", dt.date(2026, 1, 5))
    fields.setdefault("registered_on", dt.date(2026, 1, 12))
    fields.setdefault("planned_first_dose", dt.date(2026, 1, 19))
    fields.setdefault("first_dose", dt.date(2026, 1, 19))
    return audit.create(
        Patient(
            code=f"{centre.code}-{sequence:03d}",
            centre=centre,
            sequence=sequence,
            screening=entry,
            sex="female",
            year_of_birth=1960,
            **fields,
        ),
        actor="system",
    )
