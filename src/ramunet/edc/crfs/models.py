"""Typed eCRFs, one model per form, and the automatic discrepancies of their edit checks.

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
from ramunet.edc.screening.models import Patient, database_locked
from ramunet.edc.visits.models import Visit


class MissingCode(models.TextChoices):
    NOT_DONE = "ND", "not done"
    UNKNOWN = "UNK", "unknown"
    NOT_APPLICABLE = "NA", "not applicable"


def _amount(**kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True, **kwargs)


def _unit(default: str) -> models.CharField:
    return models.CharField(max_length=12, default=default, blank=True)


class FormRecord(AuditedModel):
    """What every eCRF row has: its patient, visit, paper page, missing codes, derivations."""

    FORM_CODE: ClassVar[str] = ""

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
        if database_locked():
            raise LockedError("the database is locked")


class Haematology(FormRecord):
    FORM_CODE = "HAEM"

    hemoglobin = _amount()
    hemoglobin_unit = _unit("g/dL")
    anc = _amount(verbose_name="absolute neutrophil count")
    anc_unit = _unit("10^9/L")
    platelets = _amount()
    platelets_unit = _unit("10^9/L")
    wbc = _amount(verbose_name="white blood cells")
    wbc_unit = _unit("10^9/L")
    lymphocytes = _amount()
    lymphocytes_unit = _unit("10^9/L")

    class Meta:
        verbose_name = "haematology"
        verbose_name_plural = "haematology"


class Chemistry(FormRecord):
    FORM_CODE = "CHEM"

    creatinine = _amount()
    creatinine_unit = _unit("mg/dL")
    bilirubin = _amount(verbose_name="total bilirubin")
    bilirubin_unit = _unit("mg/dL")
    ast = _amount(verbose_name="AST")
    ast_unit = _unit("U/L")
    alt = _amount(verbose_name="ALT")
    alt_unit = _unit("U/L")
    alp = _amount(verbose_name="alkaline phosphatase")
    alp_unit = _unit("U/L")
    potassium = _amount()
    potassium_unit = _unit("mmol/L")
    sodium = _amount()
    sodium_unit = _unit("mmol/L")

    class Meta:
        verbose_name = "chemistry"
        verbose_name_plural = "chemistry"


class VitalSigns(FormRecord):
    FORM_CODE = "VITALS"

    systolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    heart_rate_bpm = models.PositiveSmallIntegerField(null=True, blank=True)
    temperature_c = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = "vital signs"
        verbose_name_plural = "vital signs"


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


class Exposure(FormRecord):
    """One drug administration: the dose computed by the system and the dose given."""

    FORM_CODE = "EXPOSURE"

    class Drug(models.TextChoices):
        RAMUCIRUMAB = "ramucirumab", "ramucirumab"
        DACARBAZINE = "dacarbazine", "dacarbazine"

    drug = models.CharField(max_length=12, choices=Drug.choices)
    cycle = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1)
    height_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    computed_dose_mg = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, editable=False
    )
    dose_given_mg = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    deviation_reason = models.TextField(blank=True)
    infusion_start = models.DateTimeField(null=True, blank=True)
    infusion_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "drug administration"


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
