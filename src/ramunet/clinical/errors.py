"""The one error hierarchy of ramunet.

::

    RamunetError                    anything ramunet raises on purpose
    ├── InvalidInput (ValueError)   a value breaks a rule: names the field, the value, the rule
    │   ├── UnknownUnit             a unit no conversion knows
    │   ├── UnknownTerm             a code or term outside its code list
    │   └── EditCheckFailed         an eCRF's hard edit check (its code in ``check``)
    └── WorkflowError               a step refused: wrong person, wrong state or wrong order
        ├── PermissionRefused       the person's role or centre does not allow it
        ├── LockedError             the record is frozen or locked
        └── ConflictError           someone else changed the record since it was read

The pure packages (``clinical``, ``protocol``, ``stats``) raise ``InvalidInput`` and its
subclasses; the EDC services add the ``WorkflowError`` branch. The web layer turns
``InvalidInput`` into field errors and ``WorkflowError`` into messages.
"""

from __future__ import annotations

from collections.abc import Iterable


class RamunetError(Exception):
    """Base class of every error ramunet raises on purpose."""


class InvalidInput(RamunetError, ValueError):
    """A value breaks a rule.

    The message names the field, repeats the bad value and states the rule, e.g.
    ``lesion_site 'brain' not recognised; expected liver, lung, node``.

    Parameters
    ----------
    field
        The name of the offending field or argument (dotted for nested data, e.g.
        ``labs.creatinine.unit``).
    rule
        The rule that was broken, in words.
    value
        The offending value, repeated in the message when given.
    """

    def __init__(self, field: str, rule: str, value: object = None) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        shown = "" if value is None else f" {value!r}"
        super().__init__(f"{field}{shown}: {rule}")


class UnknownUnit(InvalidInput):
    """A unit that no conversion knows; never guessed."""

    def __init__(self, field: str, unit: object, allowed: Iterable[str]) -> None:
        super().__init__(field, f"unit not recognised; expected one of {', '.join(allowed)}", unit)


class UnknownTerm(InvalidInput):
    """A code or term outside its code list."""

    def __init__(self, field: str, term: object, allowed: Iterable[str] | str) -> None:
        listed = allowed if isinstance(allowed, str) else ", ".join(allowed)
        super().__init__(field, f"not recognised; expected {listed}", term)


class EditCheckFailed(InvalidInput):
    """A hard edit check of an eCRF refused the save; ``check`` is its stable code."""

    def __init__(self, field: str, check: str, message: str, value: object = None) -> None:
        self.field = field
        self.rule = message
        self.value = value
        self.check = check
        RamunetError.__init__(self, message)


class WorkflowError(RamunetError):
    """A workflow step refused: wrong person, wrong state or wrong order."""


class PermissionRefused(WorkflowError):
    """The person's role or centre does not allow the step."""


class LockedError(WorkflowError):
    """The record is frozen or locked; no write succeeds."""


class ConflictError(WorkflowError):
    """Someone else saved the record since it was read (optimistic concurrency)."""
