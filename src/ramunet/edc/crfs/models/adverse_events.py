"""Adverse events (CTCAE v5.0 term and grade) with the SAE reporting clock."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord


class Relation(models.TextChoices):
    NOT_RELATED = "not_related", "not related"
    UNLIKELY = "unlikely", "unlikely"
    POSSIBLE = "possible", "possible"
    PROBABLE = "probable", "probable"
    DEFINITE = "definite", "definite"


class AdverseEvent(FormRecord):
    """An adverse event (CTCAE v5.0 term and grade); ``form_date`` is the onset date."""

    FORM_CODE = "AE"

    class Action(models.TextChoices):
        NONE = "none", "dose not changed"
        REDUCED = "reduced", "dose reduced"
        DELAYED = "delayed", "dose delayed"
        INTERRUPTED = "interrupted", "drug interrupted"
        WITHDRAWN = "withdrawn", "drug withdrawn"

    class Outcome(models.TextChoices):
        RECOVERED = "recovered", "recovered/resolved"
        RECOVERING = "recovering", "recovering/resolving"
        NOT_RECOVERED = "not_recovered", "not recovered/not resolved"
        SEQUELAE = "sequelae", "recovered with sequelae"
        FATAL = "fatal", "fatal"
        UNKNOWN = "unknown", "unknown"

    SERIOUSNESS: ClassVar[tuple[str, ...]] = (
        "death",
        "life_threatening",
        "hospitalisation",
        "disability",
        "congenital_anomaly",
        "medically_important",
    )

    term = models.CharField(max_length=120)
    grade = models.PositiveSmallIntegerField()
    end_date = models.DateField(null=True, blank=True)
    serious = models.BooleanField(default=False)
    seriousness = models.JSONField(default=list, blank=True)
    relation_ramucirumab = models.CharField(max_length=12, choices=Relation.choices)
    relation_dacarbazine = models.CharField(max_length=12, choices=Relation.choices)
    action_ramucirumab = models.CharField(max_length=12, choices=Action.choices, default="none")
    action_dacarbazine = models.CharField(max_length=12, choices=Action.choices, default="none")
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default="not_recovered")
    sae_aware_at = models.DateTimeField(null=True, blank=True)
    sae_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "adverse event"
