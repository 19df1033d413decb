"""A candidate's screening data, entered and evaluated by the eligibility engine.

References
----------
``ramunet.protocol.eligibility`` and PROTOCOL-NOTES.md, "Eligibility conventions".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.screening.models import ScreeningEntry
from ramunet.edc.screening.services.guards import (
    Actor,
    _open_entry,
    _refuse_if_database_locked,
    _require,
)
from ramunet.edc.sites.roles import Capability
from ramunet.protocol.eligibility import EligibilityResult, evaluate_eligibility
from ramunet.protocol.screening_input import screening_from_dict


def findings_of(result: EligibilityResult) -> list[dict[str, str]]:
    """The engine's per-criterion findings as stored on the screening entry."""
    return [
        {"id": item.id, "state": item.state.value, "reason": item.reason}
        for item in result.criteria
    ]


def evaluate(entry: ScreeningEntry) -> EligibilityResult:
    """Re-run the eligibility engine on the entry's stored screening data."""
    return evaluate_eligibility(screening_from_dict(entry.data))


@transaction.atomic
def update_screening_data(
    actor: Actor,
    entry: ScreeningEntry,
    data: Mapping[str, Any],
    *,
    expected_version: int,
    reason: str = "",
) -> ScreeningEntry:
    """Store the screening data as posted and the eligibility engine's verdict and findings.

    The engine validates the data; its ``InvalidInput`` (naming the dotted field, e.g.
    ``labs.0.uln``) reaches the caller unchanged and nothing is saved. Sex and year of birth
    must agree with the screening log. The first entry needs no reason; a change does.

    References
    ----------
    ``ramunet.protocol.eligibility`` and PROTOCOL-NOTES.md, "Eligibility conventions".
    """
    _require(actor, Capability.SCREEN, entry.centre)
    _refuse_if_database_locked()
    current = _open_entry(entry)
    screening = screening_from_dict(data)
    if screening.sex.value != current.sex:
        raise InvalidInput(
            "sex",
            f"differs from the screening log's {current.sex} for {current.label}",
            data["sex"],
        )
    if screening.date_of_birth.year != current.year_of_birth:
        raise InvalidInput(
            "date_of_birth",
            f"differs from the screening log's year of birth {current.year_of_birth} "
            f"for {current.label}",
            screening.date_of_birth.isoformat(),
        )
    result = evaluate_eligibility(screening)
    why = reason.strip() or ("" if current.data else "screening data entered")
    return audit.update(
        current,
        {
            "data": jsonable(dict(data)),
            "verdict": result.verdict.value,
            "findings": findings_of(result),
        },
        actor=actor,
        expected_version=expected_version,
        reason=why,
        action="screening.data.updated",
    )
