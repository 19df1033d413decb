"""Centres, their laboratory reference ranges, people's accounts and role memberships."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from ramunet.clinical.units import ANALYTES
from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.sites.roles import ROLE_LABELS, Role

centre_code_validator = RegexValidator(
    r"^[A-Z]{3}$", "centre code must be three capital letters, e.g. HAL"
)


class Centre(AuditedModel):
    """A trial centre (site). Its code prefixes the pseudonymous patient IDs (``HAL-003``)."""

    code = models.CharField(max_length=3, unique=True, validators=[centre_code_validator])
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="DE")
    activated_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_scope(self) -> tuple[str, str]:
        return ("", self.code)


class ReferenceRange(AuditedModel):
    """A centre's local laboratory reference range for one analyte, valid over dates."""

    SEXES = [("A", "any"), ("F", "female"), ("M", "male")]

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="reference_ranges")
    analyte = models.CharField(
        max_length=40, choices=[(code, a.name) for code, a in ANALYTES.items()]
    )
    unit = models.CharField(max_length=20)
    sex = models.CharField(max_length=1, choices=SEXES, default="A")
    lln = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    uln = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["centre", "analyte", "valid_from"]

    def __str__(self) -> str:
        return f"{self.centre.code} {self.analyte} {self.lln}-{self.uln} {self.unit}"

    def audit_scope(self) -> tuple[str, str]:
        return ("", self.centre.code)


class Account(AuditedModel):
    """What ramunet keeps about a login beyond Django's user: lock-out, first-login, language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    must_change_password = models.BooleanField(default=True)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=5, default="en", choices=settings.LANGUAGES)
    printed_name = models.CharField(max_length=200, blank=True)
    totp_secret = models.CharField(max_length=64, blank=True)  # base32; set once confirmed

    AUDIT_REDACTED: ClassVar[tuple[str, ...]] = ("totp_secret",)

    def __str__(self) -> str:
        return f"account of {self.user}"

    @property
    def two_factor(self) -> bool:
        return bool(self.totp_secret)


class Membership(AuditedModel):
    """A person's role, for one centre or (centre empty) for the whole study."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "centre"], name="membership_unique_per_centre"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(centre__isnull=True),
                name="membership_unique_studywide",
            ),
        ]

    def __str__(self) -> str:
        where = self.centre.code if self.centre else "all centres"
        return f"{self.user} as {self.role} ({where})"
