"""A patient's calendar: visits generated from the protocol schedule, plus unscheduled ones."""

from __future__ import annotations

from django.db import models

from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.screening.models import Patient


class Visit(AuditedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        DONE = "done", "done"
        MISSED = "missed", "missed"
        CANCELLED = "cancelled", "not needed"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    code = models.CharField(max_length=12)
    label = models.CharField(max_length=80)
    order = models.PositiveIntegerField()
    unscheduled = models.BooleanField(default=False)
    planned_date = models.DateField()
    earliest = models.DateField()
    latest = models.DateField()
    actual_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    expected_forms = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["patient", "order"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "code"], name="visit_code_per_patient")
        ]

    def __str__(self) -> str:
        return f"{self.patient.code} {self.code}"

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)
