"""Centres, patients, the screening log, visits and discrepancies over the services.

Reads are scoped with ``access.scope``; every write calls a service function, which checks the
person's role at the centre, validates, writes the row and its audit record in one
transaction. Errors are answered as ``errors.py`` describes.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.api.base import (
    PATIENT_CODE,
    SCREENING_LABEL_PARAM,
    VISIT_CODE,
    ServiceView,
    require_somewhere,
    visible_entries,
    visible_entry,
    visible_patient,
    visible_patients,
)
from ramunet.edc.api.errors import error_responses as _errors
from ramunet.edc.api.serializers import (
    CandidateSerializer,
    CentreSerializer,
    DelayVisitSerializer,
    DiscrepancySerializer,
    PatientSerializer,
    ReasonSerializer,
    RecordVisitSerializer,
    RegistrationSerializer,
    ScreeningDataSerializer,
    ScreeningEntrySerializer,
    ScreeningFailureSerializer,
    UnscheduledVisitSerializer,
    VisitSerializer,
)
from ramunet.edc.crfs.models import Discrepancy
from ramunet.edc.screening import services as screening
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit


def _parse(serializer_class: Any, request: Request) -> dict[str, Any]:
    parsed = serializer_class(data=request.data)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


CENTRE_FILTER = OpenApiParameter("centre", str, description="only this centre (code)")


class CentreList(ServiceView):
    @extend_schema(responses={200: CentreSerializer(many=True), **_errors(403)})
    def get(self, request: Request) -> Response:
        """Centres whose patients the person may see (all, for study-wide aggregate roles)."""
        held = require_somewhere(request.user, [Capability.VIEW_PATIENTS, Capability.SCREEN,
                                                Capability.VIEW_AGGREGATE])  # fmt: skip
        centres = Centre.objects.none()
        for capability in held:
            centres = centres | access.scope(Centre.objects.all(), request.user, capability, "pk")
        return Response(CentreSerializer(centres.distinct().order_by("code"), many=True).data)


class PatientList(ServiceView):
    @extend_schema(
        parameters=[CENTRE_FILTER], responses={200: PatientSerializer(many=True), **_errors(403)}
    )
    def get(self, request: Request) -> Response:
        patients = visible_patients(request.user)
        if request.query_params.get("centre"):
            patients = patients.filter(centre__code=request.query_params["centre"])
        return Response(PatientSerializer(patients.order_by("code"), many=True).data)


class PatientDetail(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE], responses={200: PatientSerializer, **_errors(403, 404)}
    )
    def get(self, request: Request, patient_code: str) -> Response:
        return Response(PatientSerializer(visible_patient(request.user, patient_code)).data)


# -- screening log -------------------------------------------------------------------------


class ScreeningList(ServiceView):
    @extend_schema(
        parameters=[CENTRE_FILTER],
        responses={200: ScreeningEntrySerializer(many=True), **_errors(403)},
    )
    def get(self, request: Request) -> Response:
        entries = visible_entries(request.user)
        if request.query_params.get("centre"):
            entries = entries.filter(centre__code=request.query_params["centre"])
        return Response(ScreeningEntrySerializer(entries, many=True).data)

    @extend_schema(
        request=CandidateSerializer,
        responses={201: ScreeningEntrySerializer, **_errors(400, 403, 423)},
        summary="Log a candidate",
    )
    def post(self, request: Request) -> Response:
        require_somewhere(request.user, [Capability.SCREEN])
        values = _parse(CandidateSerializer, request)
        code = values.pop("centre")
        centre = Centre.objects.filter(code=code).first()
        if centre is None:
            codes = ", ".join(Centre.objects.values_list("code", flat=True))
            raise InvalidInput("centre", f"not a centre; expected {codes}", code)
        entry = screening.log_candidate(request.user, centre, **values)
        return Response(ScreeningEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class ScreeningDetail(ServiceView):
    @extend_schema(
        parameters=[SCREENING_LABEL_PARAM],
        responses={200: ScreeningEntrySerializer, **_errors(403, 404)},
        summary="A screening entry with its eligibility verdict and findings",
    )
    def get(self, request: Request, label: str) -> Response:
        return Response(ScreeningEntrySerializer(visible_entry(request.user, label)).data)


class ScreeningData(ServiceView):
    @extend_schema(
        parameters=[SCREENING_LABEL_PARAM],
        request=ScreeningDataSerializer,
        responses={200: ScreeningEntrySerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Enter or change the screening data; the eligibility engine re-runs",
    )
    def put(self, request: Request, label: str) -> Response:
        entry = visible_entry(request.user, label)
        values = _parse(ScreeningDataSerializer, request)
        saved = screening.update_screening_data(
            request.user,
            entry,
            values["data"],
            expected_version=values["expected_version"],
            reason=values["reason"],
        )
        return Response(ScreeningEntrySerializer(saved).data)


class ScreeningRegister(ServiceView):
    @extend_schema(
        parameters=[SCREENING_LABEL_PARAM],
        request=RegistrationSerializer,
        responses={201: PatientSerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Register an eligible candidate (the centre's investigator)",
    )
    def post(self, request: Request, label: str) -> Response:
        entry = visible_entry(request.user, label)
        values = _parse(RegistrationSerializer, request)
        patient = screening.register(request.user, entry, **values)
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)


class ScreeningFailure(ServiceView):
    @extend_schema(
        parameters=[SCREENING_LABEL_PARAM],
        request=ScreeningFailureSerializer,
        responses={200: ScreeningEntrySerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Close the entry as a screening failure with its reasons",
    )
    def post(self, request: Request, label: str) -> Response:
        entry = visible_entry(request.user, label)
        values = _parse(ScreeningFailureSerializer, request)
        saved = screening.record_screening_failure(request.user, entry, values["reasons"])
        return Response(ScreeningEntrySerializer(saved).data)


class ScreeningWithdrawal(ServiceView):
    @extend_schema(
        parameters=[SCREENING_LABEL_PARAM],
        request=ReasonSerializer,
        responses={200: ScreeningEntrySerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Close the entry: the candidate withdrew before registration",
    )
    def post(self, request: Request, label: str) -> Response:
        entry = visible_entry(request.user, label)
        values = _parse(ReasonSerializer, request)
        saved = screening.withdraw_candidate(request.user, entry, values["reason"])
        return Response(ScreeningEntrySerializer(saved).data)


# -- visits --------------------------------------------------------------------------------


def _visit(request: Request, patient_code: str, visit_code: str) -> Visit:
    patient = visible_patient(request.user, patient_code)
    visit: Visit | None = (
        Visit.objects.select_related("patient__centre").filter(patient=patient, code=visit_code)
    ).first()
    if visit is None:
        raise Http404(f"{patient_code} has no visit {visit_code}")
    return visit


class VisitList(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE], responses={200: VisitSerializer(many=True), **_errors(403, 404)}
    )
    def get(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(request.user, patient_code)
        return Response(VisitSerializer(visits.planned_visits(patient), many=True).data)


class VisitRecord(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE, VISIT_CODE],
        request=RecordVisitSerializer,
        responses={200: VisitSerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Record a planned visit as done",
    )
    def post(self, request: Request, patient_code: str, visit_code: str) -> Response:
        visit = _visit(request, patient_code, visit_code)
        values = _parse(RecordVisitSerializer, request)
        return Response(VisitSerializer(visits.record_visit(request.user, visit, **values)).data)


class VisitDelay(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE, VISIT_CODE],
        request=DelayVisitSerializer,
        responses={200: VisitSerializer(many=True), **_errors(400, 403, 404, 409, 423)},
        summary="Delay a cycle visit; returns every visit moved",
    )
    def post(self, request: Request, patient_code: str, visit_code: str) -> Response:
        visit = _visit(request, patient_code, visit_code)
        values = _parse(DelayVisitSerializer, request)
        moved = visits.delay_visit(request.user, visit, values["new_date"], values["reason"])
        return Response(VisitSerializer(moved, many=True).data)


class VisitMissed(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE, VISIT_CODE],
        request=ReasonSerializer,
        responses={200: VisitSerializer, **_errors(400, 403, 404, 409, 423)},
        summary="Record that a planned visit did not take place",
    )
    def post(self, request: Request, patient_code: str, visit_code: str) -> Response:
        visit = _visit(request, patient_code, visit_code)
        values = _parse(ReasonSerializer, request)
        return Response(
            VisitSerializer(visits.mark_missed(request.user, visit, values["reason"])).data
        )


class VisitUnscheduled(ServiceView):
    @extend_schema(
        parameters=[PATIENT_CODE],
        request=UnscheduledVisitSerializer,
        responses={201: VisitSerializer, **_errors(400, 403, 404, 423)},
        summary="Add an unscheduled visit with its forms",
    )
    def post(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(request.user, patient_code)
        values = _parse(UnscheduledVisitSerializer, request)
        visit = visits.add_unscheduled(
            request.user, patient, values["date"], values["reason"], values["forms"]
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


# -- discrepancies -------------------------------------------------------------------------


class DiscrepancyList(ServiceView):
    @extend_schema(
        parameters=[
            OpenApiParameter("patient", str, description="only this patient (code)"),
            OpenApiParameter("status", str, enum=list(Discrepancy.Status.values)),
        ],
        responses={200: DiscrepancySerializer(many=True), **_errors(403)},
    )
    def get(self, request: Request) -> Response:
        require_somewhere(request.user, [Capability.VIEW_PATIENTS])
        rows = access.scope(
            Discrepancy.objects.select_related("patient"),
            request.user,
            Capability.VIEW_PATIENTS,
            "patient__centre",
        )
        if request.query_params.get("patient"):
            rows = rows.filter(patient__code=request.query_params["patient"])
        if request.query_params.get("status"):
            rows = rows.filter(status=request.query_params["status"])
        return Response(DiscrepancySerializer(rows, many=True).data)
