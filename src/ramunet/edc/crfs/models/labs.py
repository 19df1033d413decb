"""Laboratory forms: values with their units, graded and flagged by the system."""

from __future__ import annotations

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord, amount_field, unit_field


class Haematology(FormRecord):
    FORM_CODE = "HAEM"

    hemoglobin = amount_field()
    hemoglobin_unit = unit_field("g/dL")
    anc = amount_field(verbose_name="absolute neutrophil count")
    anc_unit = unit_field("10^9/L")
    platelets = amount_field()
    platelets_unit = unit_field("10^9/L")
    wbc = amount_field(verbose_name="white blood cells")
    wbc_unit = unit_field("10^9/L")
    lymphocytes = amount_field()
    lymphocytes_unit = unit_field("10^9/L")

    class Meta:
        verbose_name = "haematology"
        verbose_name_plural = "haematology"


class Chemistry(FormRecord):
    FORM_CODE = "CHEM"

    creatinine = amount_field()
    creatinine_unit = unit_field("mg/dL")
    bilirubin = amount_field(verbose_name="total bilirubin")
    bilirubin_unit = unit_field("mg/dL")
    ast = amount_field(verbose_name="AST")
    ast_unit = unit_field("U/L")
    alt = amount_field(verbose_name="ALT")
    alt_unit = unit_field("U/L")
    alp = amount_field(verbose_name="alkaline phosphatase")
    alp_unit = unit_field("U/L")
    potassium = amount_field()
    potassium_unit = unit_field("mmol/L")
    sodium = amount_field()
    sodium_unit = unit_field("mmol/L")

    class Meta:
        verbose_name = "chemistry"
        verbose_name_plural = "chemistry"


class Coagulation(FormRecord):
    FORM_CODE = "COAG"

    inr = amount_field(verbose_name="INR")
    inr_unit = unit_field("ratio")
    ptt = amount_field(verbose_name="PTT")
    ptt_unit = unit_field("s")


class UrineProtein(FormRecord):
    FORM_CODE = "URINE"

    class Dipstick(models.TextChoices):
        NEGATIVE = "negative", "negative"
        TRACE = "trace", "trace"
        ONE = "1+", "1+"
        TWO = "2+", "2+"
        THREE = "3+", "3+"
        FOUR = "4+", "4+"

    dipstick = models.CharField(max_length=8, choices=Dipstick.choices, blank=True)
    urine_protein_24h = amount_field(verbose_name="24-hour urine protein")
    urine_protein_24h_unit = unit_field("mg/24h")
    creatinine_clearance = amount_field(verbose_name="24-hour creatinine clearance")
    creatinine_clearance_unit = unit_field("mL/min")

    class Meta:
        verbose_name = "urine protein"


class PregnancyTest(FormRecord):
    FORM_CODE = "PREG"

    class TestType(models.TextChoices):
        SERUM = "serum", "serum"
        URINE = "urine", "urine"

    class Result(models.TextChoices):
        NEGATIVE = "negative", "negative"
        POSITIVE = "positive", "positive"

    test_type = models.CharField(max_length=6, choices=TestType.choices, blank=True)
    result = models.CharField(max_length=8, choices=Result.choices, blank=True)


class ChromograninA(FormRecord):
    """Chromogranin A, or the specific hormone of a functional PNET."""

    FORM_CODE = "CGA"

    marker = models.CharField(max_length=40, default="chromogranin_a")
    value = amount_field()
    unit = unit_field("ng/mL")
    uln = amount_field(verbose_name="upper limit of normal")

    class Meta:
        verbose_name = "chromogranin A"
        verbose_name_plural = "chromogranin A"
