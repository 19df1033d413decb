"""Per-form-type switches that data management keeps (SDV plan, double-entry plan)."""

from __future__ import annotations

from typing import Any, TypeVar

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.crfs.models import FORMS

P = TypeVar("P", bound=AuditedModel)


def set_form_switch(
    actor: Any, model: type[P], form_code: str, flag: str, value: bool, *, action: str
) -> P:
    """Create or change the row of ``model`` for ``form_code``, setting ``flag`` (audited).

    The caller checks who may; this checks the form code and writes through the audit.
    """
    if form_code not in FORMS:
        raise InvalidInput(
            "form_code", f"not a form; expected one of {', '.join(FORMS)}", form_code
        )
    row = model._default_manager.filter(form_code=form_code).first()
    if row is None:
        return audit.create(model(form_code=form_code, **{flag: value}), actor=actor, action=action)
    return audit.update(
        row,
        {flag: value},
        actor=actor,
        expected_version=row.version,
        reason=f"{form_code} plan changed",
        action=action,
    )
