"""Vital signs, physical examination and ECOG performance status."""

from __future__ import annotations

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord


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


class PhysicalExam(FormRecord):
    FORM_CODE = "PE"

    height_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    abnormal = models.BooleanField(default=False)
    findings = models.TextField(blank=True)

    class Meta:
        verbose_name = "physical examination"


class Ecog(FormRecord):
    """ECOG performance status (Oken et al. 1982): 0 fully active .. 4 bedbound."""

    FORM_CODE = "ECOG"

    ecog = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(i, str(i)) for i in range(5)]
    )

    class Meta:
        verbose_name = "ECOG performance status"
