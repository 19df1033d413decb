"""Domain errors onto forms: the field's own message, or a message for the whole form.

``InvalidInput`` names a field (``labs.0.uln``, ``anc``): shown at that field when the form
has it, else above the form. ``PermissionRefused`` answers 403, ``LockedError`` and
``ConflictError`` 409, other input errors 400 (STYLE.md example 6).
"""

from __future__ import annotations

from django import forms

from ramunet.clinical.errors import (
    ConflictError,
    InvalidInput,
    LockedError,
    PermissionRefused,
    WorkflowError,
)


def add_error(form: forms.Form, error: Exception) -> None:
    """Put ``error`` at its field when the form has one of that name, else on the form."""
    field = getattr(error, "field", None)
    if isinstance(error, InvalidInput) and field:
        name = str(field).split(".")[0]
        if name in form.fields:
            form.add_error(name, str(error))
            return
    form.add_error(None, str(error))


def refuse(form: forms.Form, error: InvalidInput | WorkflowError) -> int:
    """Record ``error`` on ``form`` and return the HTTP status the page answers with."""
    add_error(form, error)
    if isinstance(error, PermissionRefused):
        return 403
    if isinstance(error, LockedError | ConflictError):
        return 409
    return 400
