"""Biosamples for central pathology and the translational results it reports."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord
from ramunet.edc.sites.roles import Capability


class Biosample(FormRecord):
    """A tissue block or serum/plasma sample; ``form_date`` is the collection date."""

    FORM_CODE = "BIOSAMPLE"
    REPEATING = True

    class Kind(models.TextChoices):
        TISSUE = "tissue_block", "tissue block"
        SERUM = "serum", "serum"
        PLASMA = "plasma", "plasma"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    sample_id = models.CharField(max_length=40)
    shipped_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    condition = models.CharField(max_length=80, blank=True)


class TranslationalResult(FormRecord):
    """A central pathology result (Halle): one marker of one sample."""

    FORM_CODE = "TRANSL"
    REPEATING = True
    CAPABILITY: ClassVar[Capability] = Capability.ENTER_TRANSLATIONAL

    class Marker(models.TextChoices):
        KI67 = "ki67", "Ki-67 (%)"
        GRADING = "grading", "grading (WHO)"
        VEGFR2_TUMOUR = "vegfr2_tumour", "VEGFR2, tumour"
        VEGFR2_STROMA = "vegfr2_stroma", "VEGFR2, stroma"
        CD68 = "cd68", "CD68"
        CD163 = "cd163", "CD163"
        CD204 = "cd204", "CD204"
        CD3 = "cd3", "CD3"
        CD8 = "cd8", "CD8"
        FOXP3 = "foxp3", "FoxP3"
        CD31 = "cd31_mvd", "CD31 microvessel density"
        E_CADHERIN = "e_cadherin", "E-cadherin"
        VIMENTIN = "vimentin", "vimentin"
        IL1 = "il1", "IL-1"
        IL6 = "il6", "IL-6"
        VEGF = "vegf", "VEGF"
        ANG1 = "ang1", "angiopoietin-1"
        ANG2 = "ang2", "angiopoietin-2"

    sample = models.ForeignKey(Biosample, on_delete=models.PROTECT, related_name="results")
    marker = models.CharField(max_length=16, choices=Marker.choices)
    value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=40, blank=True, help_text="e.g. score or grade")
