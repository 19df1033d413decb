"""The screening log: a candidate logged without a name, then closed as a screening failure
with its reasons or as a withdrawal (screening data: ``eligibility``; registration:
``registration``).

- SCREEN (investigator, nurse of the centre): log candidates, enter screening data, record a
  screening failure, withdraw a candidate. The nurse prepares everything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.screening.models import ScreeningEntry
from ramunet.edc.screening.services.guards import (
    Actor,
    _open_entry,
    _reason,
    _refuse_if_database_locked,
    _require,
)
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability

_INITIALS = re.compile(r"^[A-Z]{0,3}$")
_CRITERION_ID = re.compile(r"^(IN|EX)\d\d$")
SEXES = ("female", "male")
OLDEST_YEARS = 120


@transaction.atomic
def log_candidate(
    actor: Actor,
    centre: Centre,
    *,
    screened_on: dt.date,
    year_of_birth: int,
    sex: str,
    initials: str = "",
) -> ScreeningEntry:
    """Log a candidate considered at ``centre``; numbered per centre (``HAL-S001``).

    No names: year of birth, sex and optional initials (at most 3 letters) only. Every
    candidate is logged, screening failures included (PROTOCOL-NOTES.md, "Population").
    """
    _require(actor, Capability.SCREEN, centre)
    _refuse_if_database_locked()
    if not isinstance(screened_on, dt.date) or isinstance(screened_on, dt.datetime):
        raise InvalidInput("screened_on", "must be a date", screened_on)
    if sex not in SEXES:
        raise InvalidInput("sex", f"not recognised; expected {', '.join(SEXES)}", sex)
    oldest = screened_on.year - OLDEST_YEARS
    if isinstance(year_of_birth, bool) or not isinstance(year_of_birth, int):
        raise InvalidInput("year_of_birth", "must be a whole number", year_of_birth)
    if not oldest <= year_of_birth <= screened_on.year:
        raise InvalidInput(
            "year_of_birth", f"must lie between {oldest} and {screened_on.year}", year_of_birth
        )
    letters = (initials or "").strip().upper()
    if not _INITIALS.match(letters):
        raise InvalidInput("initials", "at most 3 letters A-Z, no names", initials)
    # One candidate number at a time per centre: lock the centre row for the transaction.
    Centre.objects.select_for_update().get(pk=centre.pk)
    last = ScreeningEntry.objects.filter(centre=centre).aggregate(n=Max("number"))["n"] or 0
    return audit.create(
        ScreeningEntry(
            centre=centre,
            number=last + 1,
            screened_on=screened_on,
            year_of_birth=year_of_birth,
            sex=sex,
            initials=letters,
        ),
        actor=actor,
        action="screening.candidate.logged",
    )


def _failure_reasons(entry: ScreeningEntry, reasons: Sequence[str]) -> list[dict[str, str]]:
    if isinstance(reasons, str) or not reasons:
        raise InvalidInput("reasons", "name at least one reason (criterion not met or free text)")
    findings = {item["id"]: item for item in entry.findings}
    not_met = [key for key, item in findings.items() if item["state"] == "not met"]
    kept: list[dict[str, str]] = []
    for index, raw in enumerate(reasons):
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            raise InvalidInput(f"reasons.{index}", "must be a criterion id or a text", raw)
        if _CRITERION_ID.match(text):
            if text not in not_met:
                raise InvalidInput(
                    f"reasons.{index}",
                    f"is not a criterion found not met; not met: {', '.join(not_met) or 'none'}",
                    text,
                )
            kept.append({"criterion": text, "reason": findings[text]["reason"]})
        else:
            kept.append({"criterion": "", "reason": text})
    return kept


@transaction.atomic
def record_screening_failure(
    actor: Actor, entry: ScreeningEntry, reasons: Sequence[str]
) -> ScreeningEntry:
    """Close the entry as a screening failure, keeping each reason.

    ``reasons`` holds criterion ids found not met by the engine (``"IN09"``: kept with the
    engine's reason) and free text (e.g. ``"declined participation"``).
    """
    _require(actor, Capability.SCREEN, entry.centre)
    _refuse_if_database_locked()
    current = _open_entry(entry)
    kept = _failure_reasons(current, reasons)
    summary = "; ".join(
        f"{item['criterion']}: {item['reason']}" if item["criterion"] else item["reason"]
        for item in kept
    )
    return audit.update(
        current,
        {"status": ScreeningEntry.Status.FAILED.value, "failure_reasons": kept},
        actor=actor,
        expected_version=entry.version,
        reason=f"screening failure: {summary}",
        action="screening.candidate.failed",
    )


@transaction.atomic
def withdraw_candidate(actor: Actor, entry: ScreeningEntry, reason: str) -> ScreeningEntry:
    """Close the entry: the candidate withdrew (or was withdrawn) before registration."""
    _require(actor, Capability.SCREEN, entry.centre)
    _refuse_if_database_locked()
    why = _reason(reason)
    current = _open_entry(entry)
    return audit.update(
        current,
        {"status": ScreeningEntry.Status.WITHDRAWN.value, "closed_reason": why},
        actor=actor,
        expected_version=entry.version,
        reason=why,
        action="screening.candidate.withdrawn",
    )
