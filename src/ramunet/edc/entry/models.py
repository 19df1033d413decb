"""Double data entry of paper CRFs: which form types need it, the blind second entry, and the
field-by-field differences a third person resolves against the paper."""

from __future__ import annotations

from django.db import models

from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.screening.models import Patient


class DoubleEntryPlan(AuditedModel):
    """A data manager's choice: forms of this code are entered twice."""

    form_code = models.CharField(max_length=12, unique=True)
    enabled = models.BooleanField(default=True)


class SecondEntry(AuditedModel):
    """The second, blind transcription of one form's paper page."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="second_entries")
    form_model = models.CharField(max_length=60)
    form_pk = models.PositiveBigIntegerField()
    first_by = models.CharField(max_length=150)
    second_by = models.CharField(max_length=150)
    values = models.JSONField()
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form_model", "form_pk"], name="one_second_entry")
        ]

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)


class EntryDifference(AuditedModel):
    """One field where the two transcriptions differ; resolved against the paper."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        RESOLVED = "resolved", "resolved against the paper"

    entry = models.ForeignKey(SecondEntry, on_delete=models.PROTECT, related_name="differences")
    field = models.CharField(max_length=60)
    first_value = models.TextField(blank=True)
    second_value = models.TextField(blank=True)
    resolved_value = models.TextField(blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["entry", "field"]

    def audit_scope(self) -> tuple[str, str]:
        return (self.entry.patient.code, self.entry.patient.centre.code)
