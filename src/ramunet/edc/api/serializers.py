"""Serializers of the API's records: they parse and present, never save (services write)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ramunet.edc.crfs.models import Discrepancy
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites.models import Centre
from ramunet.edc.visits.models import Visit
from ramunet.protocol.schedule import FORM_CODES


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    username = serializers.CharField()


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centre
        fields = ["code", "name", "city", "country", "activated_on", "closed_on"]


class PatientSerializer(serializers.ModelSerializer):
    centre = serializers.CharField(source="centre.code")
    screening = serializers.CharField(source="screening.label")

    class Meta:
        model = Patient
        fields = [
            "code", "centre", "screening", "sex", "year_of_birth", "consent_date",
            "registered_on", "planned_first_dose", "first_dose", "status", "locked", "version",
        ]  # fmt: skip


class FindingSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="criterion, IN01..IN14 or EX01..EX16")
    state = serializers.CharField(help_text="met, not met, missing, needs review")
    reason = serializers.CharField()


class ScreeningEntrySerializer(serializers.ModelSerializer):
    label = serializers.CharField()
    centre = serializers.CharField(source="centre.code")
    findings = FindingSerializer(many=True, help_text="the eligibility engine's findings")
    patient = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningEntry
        fields = [
            "label", "centre", "number", "screened_on", "year_of_birth", "sex", "initials",
            "status", "verdict", "findings", "failure_reasons", "closed_reason", "data",
            "patient", "version",
        ]  # fmt: skip

    def get_patient(self, entry: ScreeningEntry) -> str | None:
        """The patient code once registered (``select_related("patient")`` saves a query)."""
        try:
            return str(entry.patient.code)
        except Patient.DoesNotExist:
            return None


class CandidateSerializer(serializers.Serializer):
    centre = serializers.CharField(help_text="centre code, e.g. HAL")
    screened_on = serializers.DateField()
    year_of_birth = serializers.IntegerField()
    sex = serializers.ChoiceField(choices=["female", "male"])
    initials = serializers.CharField(required=False, allow_blank=True, default="")


class ScreeningDataSerializer(serializers.Serializer):
    data = serializers.DictField(help_text="the screening data, as the eligibility engine reads")
    expected_version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RegistrationSerializer(serializers.Serializer):
    consent_date = serializers.DateField()
    planned_first_dose = serializers.DateField()
    attestations_confirmed = serializers.BooleanField()
    confirmed_criteria = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    registered_on = serializers.DateField(required=False, allow_null=True, default=None)


class ScreeningFailureSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(), allow_empty=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class VisitSerializer(serializers.ModelSerializer):
    patient = serializers.CharField(source="patient.code")

    class Meta:
        model = Visit
        fields = [
            "code", "patient", "label", "order", "unscheduled", "planned_date", "earliest",
            "latest", "actual_date", "status", "expected_forms", "note", "version",
        ]  # fmt: skip


class RecordVisitSerializer(serializers.Serializer):
    actual_date = serializers.DateField()


class DelayVisitSerializer(serializers.Serializer):
    new_date = serializers.DateField()
    reason = serializers.CharField()


class UnscheduledVisitSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()
    forms = serializers.ListField(
        child=serializers.CharField(), help_text=f"form codes: {', '.join(FORM_CODES)}"
    )


class DiscrepancySerializer(serializers.ModelSerializer):
    patient = serializers.CharField(source="patient.code")
    form_code = serializers.SerializerMethodField()

    class Meta:
        model = Discrepancy
        fields = [
            "id", "patient", "form_code", "form_model", "form_pk", "field", "rule", "message",
            "status", "version",
        ]  # fmt: skip

    def get_form_code(self, discrepancy: Discrepancy) -> str:
        from django.apps import apps

        model: Any = apps.get_model(discrepancy.form_model)
        return str(model.FORM_CODE)


class AuditEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.CharField()
    actor = serializers.CharField()
    action = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text="field -> [old, new]",
    )
    hash = serializers.CharField()
