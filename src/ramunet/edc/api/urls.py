"""``/api/v1/``: the REST API, its OpenAPI schema and the Swagger and Redoc pages."""

from __future__ import annotations

from django.urls import include, path

from ramunet.edc.api import enrolment, schema, tumour, views
from ramunet.edc.api.auth import TokenView
from ramunet.edc.api.forms import FormCatalogue, form_urls

app_name = "api"

VISIT = "patients/<str:patient_code>/visits/<str:visit_code>/"

urlpatterns = [
    # the forms first, the endpoints entered most: one prefix test passes them all by
    path("patients/<str:patient_code>/forms/", include(form_urls())),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("centres/", views.CentreList.as_view(), name="centres"),
    path("patients/", views.PatientList.as_view(), name="patients"),
    path("patients/<str:patient_code>/", views.PatientDetail.as_view(), name="patient"),
    path("screening/", views.ScreeningList.as_view(), name="screening"),
    path("screening/<str:label>/", views.ScreeningDetail.as_view(), name="screening-entry"),
    path("screening/<str:label>/data/", views.ScreeningData.as_view(), name="screening-data"),
    path(
        "screening/<str:label>/register/",
        views.ScreeningRegister.as_view(),
        name="screening-register",
    ),
    path(
        "screening/<str:label>/failure/", views.ScreeningFailure.as_view(), name="screening-failure"
    ),
    path(
        "screening/<str:label>/withdrawal/",
        views.ScreeningWithdrawal.as_view(),
        name="screening-withdrawal",
    ),
    path(
        "screening/<str:label>/enrolment-override/",
        enrolment.EnrolmentOverride.as_view(),
        name="screening-enrolment-override",
    ),
    path("study/enrolment/", enrolment.StudyEnrolment.as_view(), name="study-enrolment"),
    path("patients/<str:patient_code>/visits/", views.VisitList.as_view(), name="visits"),
    path(
        "patients/<str:patient_code>/visits/unscheduled/",
        views.VisitUnscheduled.as_view(),
        name="visit-unscheduled",
    ),
    path(f"{VISIT}record/", views.VisitRecord.as_view(), name="visit-record"),
    path(f"{VISIT}delay/", views.VisitDelay.as_view(), name="visit-delay"),
    path(f"{VISIT}missed/", views.VisitMissed.as_view(), name="visit-missed"),
    path("forms/", FormCatalogue.as_view(), name="forms"),
    path("patients/<str:patient_code>/tumour/", tumour.TumourCourse.as_view(), name="tumour"),
    path(
        "patients/<str:patient_code>/tumour/baseline/",
        tumour.TumourBaseline.as_view(),
        name="tumour-baseline",
    ),
    path(
        "patients/<str:patient_code>/tumour/followups/",
        tumour.TumourFollowups.as_view(),
        name="tumour-followups",
    ),
    path(
        "patients/<str:patient_code>/tumour/<int:assessment_id>/",
        tumour.TumourAssessmentChange.as_view(),
        name="tumour-assessment",
    ),
    path("discrepancies/", views.DiscrepancyList.as_view(), name="discrepancies"),
    path("schema/", schema.schema_view, name="schema"),
    path("docs/", schema.swagger_view, name="docs"),
    path("redoc/", schema.redoc_view, name="redoc"),
]
