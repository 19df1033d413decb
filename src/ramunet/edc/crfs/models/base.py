"""What every eCRF has (``FormRecord``), missing-value codes, and automatic discrepancies.

Every form row belongs to a patient (and to a visit, except event forms such as adverse
events), records the paper CRF page it was transcribed from, keeps missing-value codes apart
from real values (``missing``: field name -> ND / UNK / NA), and stores the values the system
derived from it with their provenance (``derived``: rule, inputs, software version). Rows are
written only through ``ramunet.edc.crfs.services``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from ramunet.clinical.errors import LockedError
from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit


class MissingCode(models.TextChoices):
    NOT_DONE = "ND", "not done"
    UNKNOWN = "UNK", "unknown"
    NOT_APPLICABLE = "NA", "not applicable"


def amount_field(**kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True, **kwargs)


def unit_field(default: str) -> models.CharField:
    return models.CharField(max_length=12, default=default, blank=True)


class FormRecord(AuditedModel):
    """What every eCRF row has: its patient, visit, paper page, missing codes, derivations."""

    FORM_CODE: ClassVar[str] = ""
    # what a person must hold at the patient's centre to write this form
    CAPABILITY: ClassVar[Capability] = Capability.ENTER_DATA
    # a form filled as often as needed (one row per event, therapy or medication)
    REPEATING: ClassVar[bool] = False
    # a repeating form entered at most once per visit and these fields' values (a drug)
    ONCE_PER_VISIT_BY: ClassVar[tuple[str, ...]] = ()
    # a form with its own service (its rows belong together, e.g. lesions with measurements):
    # the dotted path of that service; ``crfs.services.save_form`` refuses such forms
    SERVICE: ClassVar[str] = ""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    form_date = models.DateField()
    crf_page = models.CharField(max_length=20, blank=True, help_text="paper CRF page and version")
    missing = models.JSONField(default=dict, blank=True)
    derived = models.JSONField(default=dict, blank=True, editable=False)
    frozen = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)

    def check_writable(self) -> None:
        if self.frozen:
            raise LockedError(f"{self.FORM_CODE} form of {self.patient.code} is frozen")
        if self.patient.locked:
            raise LockedError(f"patient {self.patient.code} is locked")


class Discrepancy(AuditedModel):
    """An edit check's finding kept for the query workflow; closes itself once corrected."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        CLOSED = "closed", "closed (data corrected)"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="discrepancies")
    form_model = models.CharField(max_length=60)
    form_pk = models.PositiveBigIntegerField()
    field = models.CharField(max_length=60)
    rule = models.CharField(max_length=60)
    message = models.TextField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["patient", "id"]
        indexes = [models.Index(fields=["form_model", "form_pk"])]

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)
