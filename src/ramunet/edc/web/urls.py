"""The site staff's pages, mounted at /site/ (``web:`` names; oversight links to them)."""

from __future__ import annotations

from django.urls import URLPattern, path

from ramunet.edc.web import (
    language,
    views_casebook,
    views_crf,
    views_home,
    views_screening,
    views_tumour,
)

app_name = "web"

urlpatterns: list[URLPattern] = [
    path("worklist/", views_home.worklist, name="worklist"),
    path("language/", language.choose_language, name="language"),
    path("screening/", views_screening.screening_list, name="screening_list"),
    path("screening/new/", views_screening.screening_new, name="screening_new"),
    path("screening/<int:pk>/", views_screening.screening_detail, name="screening_detail"),
    path("screening/<int:pk>/check/", views_screening.screening_check, name="screening_check"),
    path(
        "screening/<int:pk>/failure/", views_screening.screening_failure, name="screening_failure"
    ),
    path("screening/<int:pk>/register/", views_screening.register, name="register"),
    path("patients/<str:code>/", views_casebook.casebook_page, name="casebook"),
    path(
        "patients/<str:code>/visits/<int:visit_id>/forms/<str:form_code>/",
        views_crf.form_page,
        name="form",
    ),
    path(
        "patients/<str:code>/visits/<int:visit_id>/dose/",
        views_crf.dose_preview,
        name="dose_preview",
    ),
    path(
        "patients/<str:code>/visits/<int:visit_id>/tumour/preview/",
        views_tumour.tumour_preview,
        name="tumour_preview",
    ),
    path(
        "patients/<str:code>/visits/<int:visit_id>/visit/",
        views_casebook.record_visit,
        name="record_visit",
    ),
]
