"""/oversight/: the pages of monitors, data managers, the PI, the DSMB and biometricians."""

from __future__ import annotations

from django.urls import URLPattern, path

from ramunet.edc.oversight import (
    views_audit,
    views_enrolment,
    views_exports,
    views_fragments,
    views_home,
    views_locks,
    views_queries,
    views_sdv,
    views_sign,
)

app_name = "oversight"

FORM = "forms/<str:form_code>/<int:pk>/"
FIELD = FORM + "fields/<str:field>/"

urlpatterns: list[URLPattern] = [
    path("", views_home.home, name="home"),
    path("queries/", views_queries.query_list, name="queries"),
    path(FIELD + "queries/", views_queries.field_queries, name="field_queries"),
    path(FORM + "audit/", views_audit.form_audit, name="form_audit"),
    path(FIELD + "audit/", views_audit.field_audit, name="field_audit"),
    path("audit-review/", views_audit.audit_review, name="audit_review"),
    path(FORM + "sdv/", views_sdv.sdv_form, name="sdv_form"),
    path("patients/<str:code>/sign/", views_sign.sign, name="sign"),
    path("sdv/", views_sdv.sdv, name="sdv"),
    path("sdv/progress/", views_fragments.sdv_progress, name="sdv_progress"),
    path("missing-forms/", views_fragments.missing_forms, name="missing_forms"),
    path("sdv/centres/<str:centre>/", views_sdv.sdv_centre, name="sdv_centre"),
    path("sdv/patients/<str:code>/", views_sdv.sdv_patient, name="sdv_patient"),
    path("enrolment/", views_enrolment.enrolment, name="enrolment"),
    path("locks/", views_locks.locks, name="locks"),
    path("locks/checklist/", views_locks.lock_checklist, name="lock_checklist"),
    path("locks/database/", views_locks.lock_database, name="lock_database"),
    path("locks/patients/<str:code>/", views_locks.lock_patient, name="lock_patient"),
    path("exports/", views_exports.exports, name="exports"),
    path("exports/audit-trail.csv", views_exports.export_audit, name="export_audit"),
    path("exports/query-log.csv", views_exports.export_queries, name="export_queries"),
    path("exports/tables/<path:name>.csv", views_exports.export_table, name="export_table"),
    path("exports/package/", views_exports.export_package, name="export_package"),
]
