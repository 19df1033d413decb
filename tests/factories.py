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


# -- screening and registration through the real services (screening, visits tests) -------

FIRST_DOSE = dt.date(2026, 3, 16)


def screening_payload(first_dose: dt.date = FIRST_DOSE, **overrides: Any) -> dict[str, Any]:
    """A fully eligible candidate's screening data (the dict the EDC posts): the engine tests'
    baseline candidate (tests/protocol/candidates.py) with every date moved so that it counts
    back from ``first_dose``; top-level keys replaced by ``overrides``."""
    from tests.protocol.candidates import FIRST_DOSE as CANDIDATE_DOSE
    from tests.protocol.candidates import make_candidate

    payload: dict[str, Any] = _shift_dates(make_candidate(), first_dose - CANDIDATE_DOSE)
    payload.update(overrides)
    return payload


def _shift_dates(value: Any, shift: dt.timedelta, key: str = "") -> Any:
    """Move every ISO date in a nested payload by ``shift`` (not the date of birth)."""
    if isinstance(value, dict):
        return {k: _shift_dates(v, shift, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, shift, key) for v in value]
    if isinstance(value, str) and key != "date_of_birth" and len(value) == 10:
        try:
            return (dt.date.fromisoformat(value) + shift).isoformat()
        except ValueError:
            return value
    return value


def make_screened(
    centre: Centre, actor: Any = "system", first_dose: dt.date = FIRST_DOSE, **overrides: Any
) -> Any:
    """A candidate logged at ``centre`` with screening data entered (eligible by default)."""
    from ramunet.edc.screening import services as screening

    entry = screening.log_candidate(
        actor,
        centre,
        screened_on=first_dose - dt.timedelta(days=14),
        year_of_birth=1961,
        sex="female",
        initials="AB",
    )
    return screening.update_screening_data(
        actor, entry, screening_payload(first_dose, **overrides), expected_version=entry.version
    )


def make_registered(
    centre: Centre, actor: Any = "system", first_dose: dt.date = FIRST_DOSE, **fields: Any
) -> Any:
    """An eligible candidate registered through ``screening.services.register`` (with calendar)."""
    from ramunet.edc.screening import services as screening

    entry = make_screened(centre, "system", first_dose)
    fields.setdefault("registered_on", first_dose - dt.timedelta(days=7))
    return screening.register(
        actor,
        entry,
        consent_date=first_dose - dt.timedelta(days=14),
        planned_first_dose=first_dose,
        attestations_confirmed=True,
        **fields,
    )


def save_haem(
    user: Any,
    patient: Any,
    anc: str = "2.5",
    form_date: dt.date = dt.date(2026, 1, 19),
    today: dt.date = dt.date(2026, 6, 1),
) -> Any:
    """A haematology form with one ANC value, saved through the service as ``user``."""
    from decimal import Decimal

    from ramunet.edc.crfs.models import Haematology
    from ramunet.edc.crfs.services import save_form

    return save_form(
        user,
        Haematology,
        patient=patient,
        today=today,
        values={"form_date": form_date, "anc": Decimal(anc)},
    ).form


def edit_haem(
    user: Any, form: Any, anc: str, reason: str = "corrected", today: dt.date = dt.date(2026, 6, 1)
) -> Any:
    """Change the ANC of a saved haematology form, from its current version."""
    from decimal import Decimal

    from ramunet.edc.crfs.models import Haematology
    from ramunet.edc.crfs.services import save_form

    current = Haematology.objects.get(pk=form.pk)
    return save_form(
        user,
        Haematology,
        patient=current.patient,
        instance=current,
        values={"anc": Decimal(anc)},
        expected_version=current.version,
        reason=reason,
        today=today,
    ).form
