"""Closing a simulated trial as the workflow asks: SDV, signatures, patient locks, database lock.

The monitor verifies every form of the SDV plan against the source, each centre's
investigator signs each casebook (re-entering the password, 21 CFR 11.200), the data manager
locks each patient and then the database. The lock checklist must be green except for forms
that no eCRF holds in this system (consent and eligibility live in the screening log and
registration, the tissue request in the tissue-block biosample) and the imaging forms of
follow-up visits after progression (survival contact only); those are justified in writing,
as ``locking.services.lock_database`` requires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ramunet.clinical.errors import WorkflowError
from ramunet.edc.crfs.models import FORMS
from ramunet.edc.locking import services as locking
from ramunet.edc.locking.checklist import Checklist, checklist
from ramunet.edc.review import services as review
from ramunet.edc.review.models import FormMark
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.demo import DEMO_PASSWORD
from ramunet.simulate.cast import Cast

MISSING_FORMS_JUSTIFICATION = (
    "CONSENT and ELIG are held by the screening log and the registration (consent date, "
    "eligibility findings, investigator's attestations), TISSUE by the tissue-block "
    "BIOSAMPLE; after progression the follow-up visits are survival contacts without "
    "protocol imaging, CgA, QLQ-C30 or samples"
)


@dataclass(frozen=True)
class Closing:
    verified: int
    signed: int
    locked_patients: int
    checklist: Checklist


def verify_all(cast: Cast) -> int:
    """The monitor marks every form of the SDV plan verified (those not verified yet)."""
    marked = set(
        FormMark.objects.filter(kind=FormMark.Kind.SDV).values_list("form_model", "form_pk")
    )
    count = 0
    for code in sorted(review.full_sdv_forms()):
        model = FORMS[code]
        for form in model.objects.select_related("patient__centre").order_by("pk"):
            if (model._meta.label, form.pk) not in marked:
                review.verify_source(cast.monitor, form)
                count += 1
    return count


def close_trial(
    cast: Cast, *, password: str = DEMO_PASSWORD, advance: Callable[[], Any] | None = None
) -> Closing:
    """SDV, signatures, patient locks and the database lock (module docstring)."""
    verified = verify_all(cast)
    signed = locked = 0
    for patient in Patient.objects.select_related("centre").order_by("pk"):
        with transaction.atomic():
            if not review.signature_status(patient).valid:
                investigator = cast.investigators[patient.centre.code]
                review.sign_casebook(investigator, patient, password=password)
                signed += 1
            if not patient.locked:
                locking.lock_patient(cast.data_manager, patient)
                locked += 1
        if advance is not None:
            advance()
    status = checklist(cast.data_manager)
    unexpected = [item for item in status.open_items() if item.code != "missing_forms"]
    if unexpected:
        listed = "; ".join(f"{item.label}: {item.count}" for item in unexpected)
        raise WorkflowError(f"the simulated trial cannot be locked: {listed}")
    locking.lock_database(
        cast.data_manager, justifications={"missing_forms": MISSING_FORMS_JUSTIFICATION}
    )
    return Closing(verified, signed, locked, status)
