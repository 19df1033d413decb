"""Queries on a field of a form: a thread of messages from raising to closing."""

from __future__ import annotations

from django.db import models

from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.screening.models import Patient


class Query(AuditedModel):
    """A question about one field of one form, raised by a monitor, a data manager or an
    edit check (``origin`` automatic), answered at the centre, closed by whoever raised it."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        ANSWERED = "answered", "answered"
        CLOSED = "closed", "closed"

    class Origin(models.TextChoices):
        MANUAL = "manual", "raised by a person"
        AUTOMATIC = "automatic", "raised by an edit check"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="queries")
    form_model = models.CharField(max_length=60)
    form_pk = models.PositiveBigIntegerField()
    field = models.CharField(max_length=60)
    origin = models.CharField(max_length=9, choices=Origin.choices, default=Origin.MANUAL)
    rule = models.CharField(max_length=60, blank=True, help_text="the edit check, if automatic")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    raised_by = models.CharField(max_length=150)
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["patient", "id"]
        verbose_name_plural = "queries"
        indexes = [
            models.Index(fields=["form_model", "form_pk"]),
            models.Index(fields=["status", "raised_at"]),
        ]

    def __str__(self) -> str:
        return f"query #{self.pk} on {self.patient.code} {self.field}"

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)


class QueryMessage(AuditedModel):
    """One step of a query's thread: who said what, when, and what it did to the query."""

    class Kind(models.TextChoices):
        RAISED = "raised", "raised"
        ANSWERED = "answered", "answered"
        CLOSED = "closed", "closed"
        REOPENED = "reopened", "re-opened"
        AUTO_CLOSED = "auto_closed", "closed: the data were corrected"

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=11, choices=Kind.choices)
    author = models.CharField(max_length=150)
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["query", "at", "id"]

    def audit_scope(self) -> tuple[str, str]:
        return (self.query.patient.code, self.query.patient.centre.code)
