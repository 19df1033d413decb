"""Baseline history: demographics, medical history, prior therapies, concomitant medication."""

from __future__ import annotations

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord


class Demographics(FormRecord):
    """No name, no full date of birth: year of birth and sex only (pseudonymised)."""

    FORM_CODE = "DEMOG"

    year_of_birth = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=6, choices=[("female", "female"), ("male", "male")])
    childbearing_potential = models.BooleanField(null=True, blank=True)
    functional_tumour = models.BooleanField(default=False)
    functional_hormone = models.CharField(max_length=40, blank=True)
    ki67_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    tumour_grade = models.CharField(
        max_length=2, choices=[("G1", "G1"), ("G2", "G2"), ("G3", "G3")], blank=True
    )
    diagnosis_date = models.DateField(null=True, blank=True)
    liver_metastases = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = "demographics and baseline"
        verbose_name_plural = "demographics and baseline"


class MedicalHistory(FormRecord):
    """One medical-history condition; ``form_date`` is the date of recording."""

    FORM_CODE = "MH"
    REPEATING = True

    condition = models.CharField(max_length=200)
    onset = models.CharField(max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    ongoing = models.BooleanField(default=True)
    end = models.CharField(max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD")

    class Meta:
        verbose_name = "medical history"
        verbose_name_plural = "medical history"


class PriorTherapy(FormRecord):
    FORM_CODE = "PRIOR"
    REPEATING = True

    class Category(models.TextChoices):
        SURGERY = "surgery", "surgery"
        CHEMOTHERAPY = "chemotherapy", "chemotherapy (non-DTIC)"
        SSA = "ssa", "somatostatin analogue"
        EVEROLIMUS = "everolimus", "everolimus"
        SUNITINIB = "sunitinib", "sunitinib"
        PRRT = "prrt", "PRRT"
        DACARBAZINE = "dacarbazine", "dacarbazine"
        TEMOZOLOMIDE = "temozolomide", "temozolomide"
        LOCAL = "local", "local ablative therapy"
        OTHER = "other", "other"

    category = models.CharField(max_length=14, choices=Category.choices)
    regimen = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    progression = models.BooleanField(null=True, blank=True)
    progression_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "prior therapy"
        verbose_name_plural = "prior therapies"


class ConcomitantMedication(FormRecord):
    FORM_CODE = "CM"
    REPEATING = True

    medication = models.CharField(max_length=200)
    indication = models.CharField(max_length=200, blank=True)
    daily_dose = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    dose_unit = models.CharField(max_length=12, blank=True)
    route = models.CharField(max_length=20, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=True)

    class Meta:
        verbose_name = "concomitant medication"
