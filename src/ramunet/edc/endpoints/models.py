"""The endpoints the system derives for each patient, one row per patient, with provenance.

Written only by ``ramunet.edc.endpoints.services.recompute`` (actor ``system``) whenever a
form that feeds an endpoint changes; never entered by a person.
"""

from __future__ import annotations

from django.db import models

from ramunet.edc.audit.models import AuditedModel
from ramunet.edc.screening.models import Patient


class PatientEndpoints(AuditedModel):
    """Best overall response, month-6 disease control, PFS, OS, CgA, dose intensity, QoL.

    ``provenance`` holds the rule of each endpoint, a summary of the inputs read, the software
    version and ``computed_at`` (PROTOCOL-NOTES.md "Endpoints").
    """

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="endpoints")
    best_response = models.CharField(max_length=14, blank=True, help_text="unconfirmed")
    best_response_confirmed = models.CharField(max_length=14, blank=True)
    progression_date = models.DateField(null=True, blank=True)
    month6_success = models.BooleanField(null=True, blank=True)
    month6_reason = models.TextField(blank=True)
    month6_assessment_date = models.DateField(null=True, blank=True)
    pfs_event = models.BooleanField(null=True, blank=True)
    pfs_date = models.DateField(null=True, blank=True)
    pfs_days = models.IntegerField(null=True, blank=True)
    pfs_reason = models.TextField(blank=True)
    os_event = models.BooleanField(null=True, blank=True)
    os_date = models.DateField(null=True, blank=True)
    os_days = models.IntegerField(null=True, blank=True)
    os_reason = models.TextField(blank=True)
    cga_best_response = models.CharField(max_length=14, blank=True)
    cga = models.JSONField(default=dict, blank=True)
    dose_intensity = models.JSONField(default=dict, blank=True)
    qol_change = models.JSONField(default=dict, blank=True)
    provenance = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "patient endpoints"
        verbose_name_plural = "patient endpoints"

    def audit_scope(self) -> tuple[str, str]:
        return (self.patient.code, self.patient.centre.code)
