"""Tumour assessments over the API: the baseline with its lesions, the follow-ups with their
measurements, and the time-point responses the system derives (``ramunet.edc.crfs.tumour``).

::

    GET   /patients/<patient>/tumour/             lesions, assessments, measurements, derived
    POST  /patients/<patient>/tumour/baseline/    the baseline: its lesions and their sizes
    POST  /patients/<patient>/tumour/followups/   a follow-up: one size per target lesion
    PATCH /patients/<patient>/tumour/<id>/        a change (expected_version and reason)

A tumour assessment's rows belong together (lesions, measurements, the RECIST evaluation of
the whole course), so the generic form endpoints only read ``TUMOUR`` forms; these write them.
Every response carries the assessment's ``version`` (send it back as ``expected_version``),
its ``derived`` values (sum of diameters, change from baseline and nadir, target, non-target
and overall response: RECIST 1.1 (Eisenhauer et al. 2009) §4.3-§4.4) and its open
discrepancies.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.api.base import PATIENT_CODE, ServiceView, visible_patient
from ramunet.edc.api.errors import error_responses as _errors
from ramunet.edc.api.forms import open_discrepancies, visit_of
from ramunet.edc.api.serializers import DiscrepancySerializer
from ramunet.edc.crfs import tumour
from ramunet.edc.crfs.models import TumourAssessment
from ramunet.edc.crfs.tumour_course import Course, load_course
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites.roles import Capability

CAPABILITIES = (Capability.VIEW_PATIENTS, TumourAssessment.CAPABILITY)
ASSESSMENT_ID = OpenApiParameter(
    "assessment_id", int, OpenApiParameter.PATH, description="the assessment's id"
)
TAGS = ["forms: TUMOUR"]


# -- serializers ---------------------------------------------------------------------------


def size_field() -> serializers.CharField:
    return serializers.CharField(
        allow_null=True,
        help_text='mm as a decimal ("12.5"), "too small" (present but too small to measure), '
        "or null (not assessed)",
    )


class LesionSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=8, help_text="T1..T5 for targets, N1.. otherwise")
    target = serializers.BooleanField()
    organ = serializers.CharField(max_length=40)
    nodal = serializers.BooleanField(default=False)
    location = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    diameter_mm = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="longest diameter (a lymph node: short axis); required for a target",
    )


class BaselineSerializer(serializers.Serializer):
    """A baseline tumour assessment with its lesions (RECIST 1.1 §3.1, §4.2)."""

    visit = serializers.CharField(required=False, allow_null=True, default=None)
    form_date = serializers.DateField()
    method = serializers.ChoiceField(choices=TumourAssessment.Method.choices)
    crf_page = serializers.CharField(required=False, default="", allow_blank=True)
    lesions = LesionSerializer(many=True)


class FollowupSerializer(serializers.Serializer):
    """A follow-up assessment: one size per baseline target lesion (a label left out: not
    assessed), the non-target status, new lesions and the investigator's response."""

    visit = serializers.CharField(required=False, allow_null=True, default=None)
    form_date = serializers.DateField()
    method = serializers.ChoiceField(
        choices=TumourAssessment.Method.choices, default=TumourAssessment.Method.CT
    )
    measurements = serializers.DictField(child=size_field())
    non_target = serializers.ChoiceField(
        choices=TumourAssessment.NonTarget.choices, required=False, default="", allow_blank=True
    )
    new_lesions = serializers.ChoiceField(
        choices=TumourAssessment.NewLesions.choices, default=TumourAssessment.NewLesions.NONE
    )
    investigator_response = serializers.ChoiceField(
        choices=TumourAssessment.Response.choices, required=False, default="", allow_blank=True
    )
    equivocal_confirmed_from = serializers.DateField(required=False, allow_null=True, default=None)
    crf_page = serializers.CharField(required=False, default="", allow_blank=True)


class ChangeSerializer(serializers.Serializer):
    """A change of an assessment: its fields and/or sizes (label -> size)."""

    expected_version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()
    values = serializers.DictField(required=False, default=dict)
    sizes = serializers.DictField(
        child=size_field(),
        required=False,
        default=dict,
        help_text="label -> size: the baseline size of declared lesions, or a follow-up's "
        "measurements",
    )


class LesionOutSerializer(serializers.Serializer):
    label = serializers.CharField()
    target = serializers.BooleanField()
    organ = serializers.CharField()
    nodal = serializers.BooleanField()
    location = serializers.CharField()


class AssessmentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    visit = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(help_text="send back as expected_version to change")
    frozen = serializers.BooleanField()
    baseline = serializers.BooleanField()
    form_date = serializers.DateField()
    method = serializers.CharField()
    non_target = serializers.CharField()
    new_lesions = serializers.CharField()
    investigator_response = serializers.CharField()
    sizes = serializers.DictField(child=serializers.CharField(allow_null=True))
    derived = serializers.JSONField(help_text="sums, changes and responses, with provenance")
    discrepancies = DiscrepancySerializer(many=True)


class CourseSerializer(serializers.Serializer):
    patient = serializers.CharField()
    lesions = LesionOutSerializer(many=True)
    assessments = AssessmentOutSerializer(many=True)


# -- representation ------------------------------------------------------------------------


def _size(value: Any) -> str | None:
    return None if value is None else str(value)


def _assessment(course: Course, row: TumourAssessment, discrepancies: Any) -> dict[str, Any]:
    if row.baseline:
        stored = {
            key[1]: m.diameter_mm for key, m in course.measurements.items() if key[0] == row.pk
        }
        sizes = {lesion.label: _size(stored.get(lesion.pk)) for lesion in course.targets}
    else:
        sizes = {label: _size(value) for label, value in course.target_mm(row).items()}
    return {
        "id": row.pk,
        "visit": row.visit.code if row.visit_id else None,
        "version": row.version,
        "frozen": row.frozen,
        "baseline": row.baseline,
        "form_date": row.form_date,
        "method": row.method,
        "non_target": row.non_target,
        "new_lesions": row.new_lesions,
        "investigator_response": row.investigator_response,
        "sizes": sizes,
        "derived": row.derived,
        "discrepancies": discrepancies.get(row.pk, []),
    }


def course_of(patient: Patient, only: int | None = None) -> dict[str, Any]:
    """The patient's lesions and assessments (``only``: that assessment alone)."""
    course = load_course(patient)
    rows = [row for row in (course.baseline, *course.followups) if row is not None]
    visits = {
        row.pk: row
        for row in TumourAssessment.objects.filter(pk__in=[r.pk for r in rows]).select_related(
            "visit"
        )
    }
    rows = [visits[row.pk] for row in rows]
    if only is not None:
        rows = [row for row in rows if row.pk == only]
    discrepancies = open_discrepancies(TumourAssessment, [row.pk for row in rows])
    return {
        "patient": patient.code,
        "lesions": [
            {
                "label": lesion.label,
                "target": lesion.target,
                "organ": lesion.organ,
                "nodal": lesion.nodal,
                "location": lesion.location,
            }
            for lesion in course.lesions
        ],
        "assessments": [_assessment(course, row, discrepancies) for row in rows],
    }


def _answer(patient: Patient, assessment_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(CourseSerializer(course_of(patient, assessment_id)).data, status=code)


def _parse(serializer_class: Any, request: Request) -> dict[str, Any]:
    parsed = serializer_class(data=request.data)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


# -- views ---------------------------------------------------------------------------------


class TumourCourse(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE],
        tags=TAGS,
        responses={200: CourseSerializer, **_errors(403, 404)},
        summary="The patient's lesions and tumour assessments with their derived responses",
    )
    def get(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(request.user, patient_code, CAPABILITIES, ("centre",))
        return Response(CourseSerializer(course_of(patient)).data)


class TumourBaseline(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE],
        tags=TAGS,
        request=BaselineSerializer,
        responses={201: CourseSerializer, **_errors(400, 403, 404, 423)},
        summary="Enter the baseline tumour assessment with its lesions",
    )
    def post(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(request.user, patient_code, CAPABILITIES, ("centre",))
        given = _parse(BaselineSerializer, request)
        result = tumour.save_baseline_assessment(
            request.user,
            patient,
            visit=visit_of(patient, given.pop("visit")),
            lesions=[dict(lesion) for lesion in given.pop("lesions")],
            **given,
        )
        return _answer(patient, result.assessment.pk, status.HTTP_201_CREATED)


class TumourFollowups(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE],
        tags=TAGS,
        request=FollowupSerializer,
        responses={201: CourseSerializer, **_errors(400, 403, 404, 423)},
        summary="Enter a follow-up tumour assessment; the system derives its response",
    )
    def post(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(request.user, patient_code, CAPABILITIES, ("centre",))
        given = _parse(FollowupSerializer, request)
        result = tumour.save_followup_assessment(
            request.user, patient, visit=visit_of(patient, given.pop("visit")), **given
        )
        return _answer(patient, result.assessment.pk, status.HTTP_201_CREATED)


class TumourAssessmentChange(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE, ASSESSMENT_ID],
        tags=TAGS,
        request=ChangeSerializer,
        responses={200: CourseSerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Change a tumour assessment (expected_version and reason)",
    )
    def patch(self, request: Request, patient_code: str, assessment_id: int) -> Response:
        patient = visible_patient(request.user, patient_code, CAPABILITIES, ("centre",))
        row = TumourAssessment.objects.filter(patient=patient, pk=assessment_id).first()
        if row is None:
            raise Http404(f"{patient_code} has no tumour assessment {assessment_id}")
        given = _parse(ChangeSerializer, request)
        values = dict(given["values"])
        if "visit" in values:
            raise InvalidInput("values.visit", "the visit of an assessment is not changed")
        change = {
            "expected_version": given["expected_version"],
            "reason": given["reason"],
            "values": values,
        }
        if row.baseline:
            tumour.update_baseline_assessment(request.user, row, diameters=given["sizes"], **change)
        else:
            tumour.update_followup_assessment(
                request.user, row, measurements=given["sizes"], **change
            )
        return _answer(patient, row.pk)


__all__ = ["TumourAssessmentChange", "TumourBaseline", "TumourCourse", "TumourFollowups"]
