"""Tumour imaging and RECIST 1.1 measurements: an assessment, its lesions, their sizes.

Lesions are declared at baseline (target or non-target, organ, nodal); each later assessment
records one measurement per target lesion (mm; nodes by short axis), the non-target status and
new lesions. The system computes the time-point response (``derived``) and compares it with
the investigator's reported response.
"""

from __future__ import annotations

from django.db import models

from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.crfs.models.base import FormRecord
from ramunet.edc.screening.models import Patient


class TumourAssessment(FormRecord):
    FORM_CODE = "TUMOUR"
    REPEATING = True
    SERVICE = "ramunet.edc.crfs.tumour"

    class Method(models.TextChoices):
        CT = "ct", "CT"
        MRI = "mri", "MRI"

    class NonTarget(models.TextChoices):
        CR = "CR", "complete response"
        NON_CR_NON_PD = "NON-CR/NON-PD", "non-CR/non-PD"
        PD = "PD", "progression"
        NE = "NE", "not evaluable"

    class NewLesions(models.TextChoices):
        NONE = "none", "none"
        EQUIVOCAL = "equivocal", "equivocal"
        UNEQUIVOCAL = "unequivocal", "unequivocal"

    class Response(models.TextChoices):
        CR = "CR", "CR"
        PR = "PR", "PR"
        SD = "SD", "SD"
        NON_CR_NON_PD = "NON-CR/NON-PD", "non-CR/non-PD"
        PD = "PD", "PD"
        NE = "NE", "NE"

    baseline = models.BooleanField(default=False)
    method = models.CharField(max_length=4, choices=Method.choices, default=Method.CT)
    non_target = models.CharField(max_length=14, choices=NonTarget.choices, blank=True)
    new_lesions = models.CharField(max_length=12, choices=NewLesions.choices, default="none")
    equivocal_confirmed_from = models.DateField(null=True, blank=True)
    investigator_response = models.CharField(max_length=14, choices=Response.choices, blank=True)

    class Meta:
        verbose_name = "tumour assessment"


class Lesion(AuditedModel):
    """A lesion declared at baseline, target or non-target."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="lesions")
    label = models.CharField(max_length=8, help_text="T1..T5 for targets, N1.. for non-targets")
    target = models.BooleanField()
    organ = models.CharField(max_length=40)
    nodal = models.BooleanField(default=False)
    location = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["patient", "label"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "label"], name="lesion_label_per_patient")
        ]

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)


class LesionMeasurement(AuditedModel):
    """A target lesion's size at one assessment (mm; a lymph node by its short axis)."""

    assessment = models.ForeignKey(
        TumourAssessment, on_delete=models.PROTECT, related_name="measurements"
    )
    lesion = models.ForeignKey(Lesion, on_delete=models.PROTECT, related_name="measurements")
    diameter_mm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    too_small = models.BooleanField(default=False, help_text="present but too small to measure")
    not_assessed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "lesion"], name="one_measurement_per_lesion"
            )
        ]

    def audit_scope(self) -> tuple[str, str]:
        return (self.lesion.patient.code, self.lesion.patient.centre.code)

    def check_writable(self) -> None:
        self.assessment.check_writable()
