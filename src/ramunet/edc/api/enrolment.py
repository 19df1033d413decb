"""The study's enrolment over the API: its target and closure, and a data manager's override
for one candidate (``ramunet.edc.screening.services.enrolment``).

::

    GET   /study/enrolment/                          target, closed, registered, version
    PATCH /study/enrolment/                          {"expected_version", "reason",
                                                      "enrolment_target"?, "enrolment_closed"?}
    POST  /screening/<label>/enrolment-override/     {"reason"}: this candidate may be
                                                      registered beyond the target or closure

Anyone with a role reads the enrolment (counts only); a study-wide data manager changes it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from ramunet.edc.api.base import SCREENING_LABEL_PARAM, ServiceView, visible_entry
from ramunet.edc.api.errors import error_responses as _errors
from ramunet.edc.api.serializers import ReasonSerializer, ScreeningEntrySerializer
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import Patient, StudyStatus
from ramunet.edc.sites import access


class EnrolmentSerializer(serializers.Serializer):
    enrolment_target = serializers.IntegerField()
    enrolment_closed = serializers.BooleanField()
    registered = serializers.IntegerField(help_text="patients registered so far")
    version = serializers.IntegerField(help_text="send back as expected_version to change")


class EnrolmentChangeSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField()
    reason = serializers.CharField()
    enrolment_target = serializers.IntegerField(required=False)
    enrolment_closed = serializers.BooleanField(required=False)


def _shown(status: StudyStatus) -> dict[str, Any]:
    return EnrolmentSerializer(
        {
            "enrolment_target": status.enrolment_target,
            "enrolment_closed": status.enrolment_closed,
            "registered": Patient.objects.count(),
            "version": status.version,
        }
    ).data


class StudyEnrolment(ServiceView):
    @extend_schema(
        responses={200: EnrolmentSerializer, **_errors(403)},
        summary="The enrolment: target, closed or open, patients registered",
    )
    def get(self, request: Request) -> Response:
        if not access.roles(request.user):
            raise PermissionDenied("a role in the study is needed to read its enrolment")
        return Response(_shown(screening.study_status()))

    @extend_schema(
        request=EnrolmentChangeSerializer,
        responses={200: EnrolmentSerializer, **_errors(400, 403, 409, 423)},
        summary="Set the enrolment target or close or reopen enrolment (a data manager)",
    )
    def patch(self, request: Request) -> Response:
        given = EnrolmentChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        saved = screening.set_enrolment(
            request.user,
            expected_version=values["expected_version"],
            reason=values["reason"],
            target=values.get("enrolment_target"),
            closed=values.get("enrolment_closed"),
        )
        return Response(_shown(saved))


class EnrolmentOverride(ServiceView):
    @extend_schema(
        parameters=[SCREENING_LABEL_PARAM],
        request=ReasonSerializer,
        responses={200: ScreeningEntrySerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Allow this candidate's registration beyond the target or after closure",
    )
    def post(self, request: Request, label: str) -> Response:
        entry = visible_entry(request.user, label)
        given = ReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        saved = screening.grant_enrolment_override(
            request.user, entry, reason=given.validated_data["reason"]
        )
        return Response(ScreeningEntrySerializer(saved).data)
