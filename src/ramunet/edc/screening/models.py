"""The screening log (every candidate, failures too), registered patients, enrolment status."""

from __future__ import annotations

from django.db import models

from ramunet.clinical.errors import LockedError
from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.sites.models import Centre


class StudyStatus(AuditedModel):
    """Singleton (pk=1): enrolment switches a data manager controls (the database lock lives
    in the audit chain head: ``audit.services.database_locked``)."""

    enrolment_target = models.PositiveIntegerField(default=45)
    enrolment_closed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "study status"


class ScreeningEntry(AuditedModel):
    """One candidate considered at a centre, without a name (year of birth, sex, initials).

    ``data`` holds the screening data as entered (the eligibility engine's input dict);
    ``verdict`` and ``findings`` hold the engine's last result, recomputed on every change.
    """

    class Status(models.TextChoices):
        OPEN = "open", "screening"
        FAILED = "failed", "screening failure"
        REGISTERED = "registered", "registered"
        WITHDRAWN = "withdrawn", "withdrawn before registration"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="screenings")
    number = models.PositiveIntegerField()
    screened_on = models.DateField()
    year_of_birth = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=6, choices=[("female", "female"), ("male", "male")])
    initials = models.CharField(max_length=3, blank=True)
    data = models.JSONField(default=dict, blank=True)
    verdict = models.CharField(max_length=20, blank=True)
    findings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    failure_reasons = models.JSONField(default=list, blank=True)
    closed_reason = models.TextField(blank=True)
    # A data manager's override for registering beyond the enrolment target or after closure,
    # granted before the investigator registers (screening.services.grant_enrolment_override).
    enrolment_override_reason = models.TextField(blank=True)
    enrolment_override_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="screening_number_per_centre")
        ]

    @property
    def label(self) -> str:
        return f"{self.centre.code}-S{self.number:03d}"

    def __str__(self) -> str:
        return self.label

    def audit_scope(self) -> tuple[str, str]:
        return ("", self.centre.code)


class Patient(AuditedModel):
    """A registered patient, known only by the pseudonymous code (centre and sequence)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "registered"
        ON_TREATMENT = "on_treatment", "on treatment"
        FOLLOW_UP = "follow_up", "follow-up"
        COMPLETED = "completed", "completed the study"
        WITHDRAWN = "withdrawn", "withdrawn"
        DIED = "died", "died"

    code = models.CharField(max_length=8, unique=True)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="patients")
    sequence = models.PositiveIntegerField()
    screening = models.OneToOneField(
        ScreeningEntry, on_delete=models.PROTECT, related_name="patient"
    )
    sex = models.CharField(max_length=6, choices=[("female", "female"), ("male", "male")])
    year_of_birth = models.PositiveSmallIntegerField()
    consent_date = models.DateField()
    registered_on = models.DateField()
    planned_first_dose = models.DateField()
    first_dose = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.REGISTERED)
    override_reason = models.TextField(blank=True)
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "sequence"], name="patient_sequence_per_centre"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def audit_scope(self) -> tuple[str, str]:
        return (self.code, self.centre.code)

    def check_writable(self) -> None:
        if self.locked:
            raise LockedError(f"patient {self.code} is locked")
