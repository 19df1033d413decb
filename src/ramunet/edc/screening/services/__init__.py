"""The screening log and registration: every change audited, permission-checked, atomic.

A candidate is logged at a centre without a name (``log_candidate``), the screening data are
entered and evaluated by the eligibility engine (``update_screening_data``), and the entry ends
as a screening failure with its reasons, a withdrawal, or a registration (``register``), which
gives the patient a pseudonymous code (``HAL-003``) and the visit calendar in one transaction.

Who may do what (``ramunet.edc.sites.roles``) is stated where it is checked: SCREEN in
``log``, REGISTER and the investigator's role in ``registration``, OVERRIDE_ENROLMENT in
``enrolment``, and the unchecked actor ``"system"`` in ``guards``.

Modules
-------
guards        permission, database-lock and open-entry checks every service runs first
log           the screening log: a candidate logged, failed with reasons, or withdrawn
eligibility   the screening data entered and evaluated by the eligibility engine
enrolment     the study status (target, closure) and a data manager's enrolment override
registration  an eligible candidate registered: patient, code and visit calendar

Every public name is re-exported here, so callers keep ``from ramunet.edc.screening import
services as screening``.
"""

from __future__ import annotations

from ramunet.edc.screening.services.eligibility import (
    evaluate,
    findings_of,
    update_screening_data,
)
from ramunet.edc.screening.services.enrolment import (
    grant_enrolment_override,
    set_enrolment,
    study_status,
)
from ramunet.edc.screening.services.guards import Actor
from ramunet.edc.screening.services.log import (
    OLDEST_YEARS,
    SEXES,
    log_candidate,
    record_screening_failure,
    withdraw_candidate,
)
from ramunet.edc.screening.services.registration import register

__all__ = [
    "OLDEST_YEARS",
    "SEXES",
    "Actor",
    "evaluate",
    "findings_of",
    "grant_enrolment_override",
    "log_candidate",
    "record_screening_failure",
    "register",
    "set_enrolment",
    "study_status",
    "update_screening_data",
    "withdraw_candidate",
]
