"""End of treatment, follow-up and survival, death, end of study."""

from __future__ import annotations

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord


class EndOfTreatment(FormRecord):
    FORM_CODE = "EOT"

    class Reason(models.TextChoices):
        PROGRESSION = "progression", "disease progression"
        TOXICITY = "toxicity", "unacceptable toxicity"
        PATIENT = "patient_decision", "patient's decision"
        INVESTIGATOR = "investigator_decision", "investigator's decision"
        DEATH = "death", "death"
        COMPLETED = "completed", "protocol treatment completed"
        OTHER = "other", "other"

    last_dose_date = models.DateField()
    reason = models.CharField(max_length=24, choices=Reason.choices)
    reason_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "end of treatment"


class FollowUp(FormRecord):
    """A follow-up contact; ``form_date`` is the date of contact."""

    FORM_CODE = "FOLLOWUP"
    REPEATING = True

    class Status(models.TextChoices):
        ALIVE = "alive", "alive"
        DEAD = "dead", "dead"
        UNKNOWN = "unknown", "unknown"

    vital_status = models.CharField(max_length=8, choices=Status.choices)
    progression = models.BooleanField(null=True, blank=True)
    progression_date = models.DateField(null=True, blank=True)
    subsequent_therapy = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "follow-up"


class Death(FormRecord):
    FORM_CODE = "DEATH"

    class Cause(models.TextChoices):
        PROGRESSION = "progression", "tumour progression"
        TOXICITY = "toxicity", "treatment toxicity"
        OTHER = "other", "other cause"
        UNKNOWN = "unknown", "unknown"

    death_date = models.DateField()
    cause = models.CharField(max_length=12, choices=Cause.choices)
    cause_text = models.TextField(blank=True)


class EndOfStudy(FormRecord):
    FORM_CODE = "EOS"

    class Reason(models.TextChoices):
        COMPLETED = "completed", "completed 24 months of follow-up"
        DEATH = "death", "death"
        CONSENT_WITHDRAWN = "consent_withdrawn", "consent withdrawn"
        LOST = "lost_to_follow_up", "lost to follow-up"
        OTHER = "other", "other"

    end_date = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    reason_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "end of study"
        verbose_name_plural = "end of study"
