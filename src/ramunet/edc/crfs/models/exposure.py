"""Drug administration: the computed dose and the dose given."""

from __future__ import annotations

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord


class Exposure(FormRecord):
    """One drug administration: the dose computed by the system and the dose given."""

    FORM_CODE = "EXPOSURE"
    # day 1 gives both drugs: one administration per drug and visit
    REPEATING = True
    ONCE_PER_VISIT_BY = ("drug",)

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
