"""Marks on forms (source data verified, data manager reviewed) and casebook signatures.

A mark or signature records exactly what it covered: the form's version, or a digest of
every form version in the casebook. Any later change makes it invalid, visibly, without
anyone having to remember to withdraw it.
"""

from __future__ import annotations

from django.db import models

from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.screening.models import Patient


class FormMark(AuditedModel):
    class Kind(models.TextChoices):
        SDV = "sdv", "source data verified"
        REVIEW = "review", "reviewed by data management"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="form_marks")
    form_model = models.CharField(max_length=60)
    form_pk = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=6, choices=Kind.choices)
    form_version = models.PositiveIntegerField()
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["form_model", "form_pk", "kind"])]

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)


class SdvPlanEntry(AuditedModel):
    """The monitor's SDV plan: whether a form needs 100% source data verification."""

    form_code = models.CharField(max_length=12, unique=True)
    full_sdv = models.BooleanField(default=True)


class Signature(AuditedModel):
    """An investigator's electronic signature of a patient's casebook (21 CFR 11.50)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="signatures")
    signer = models.CharField(max_length=150)
    printed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    meaning = models.TextField()
    casebook_digest = models.CharField(max_length=64)
    forms_signed = models.PositiveIntegerField()

    class Meta:
        ordering = ["patient", "signed_at"]

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)
