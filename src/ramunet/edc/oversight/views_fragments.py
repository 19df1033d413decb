"""htmx fragments for the figures that read the whole study (SDV progress, missing forms):
the pages render at once and load these after, from the cache while the data are unchanged
(``oversight.cache``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ramunet.edc.oversight import dashboards
from ramunet.edc.oversight.cache import cached
from ramunet.edc.oversight.guards import oversight_view
from ramunet.edc.review import services as review
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability


def sdv_progress_of(user: object) -> list[review.SdvProgress]:
    return cached("sdv_progress", user, Capability.VIEW_PATIENTS, lambda: review.sdv_progress(user))


def missing_forms_of(user: object) -> dict[str, int]:
    today = timezone.localdate()
    return cached(
        "missing_forms",
        user,
        Capability.VIEW_PATIENTS,
        lambda: dashboards.missing_forms_per_centre(user, today),
        today.isoformat(),
    )


@oversight_view
def sdv_progress(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, Capability.REVIEW):
        access.require(request.user, Capability.VERIFY_SOURCE)
    context = {"progress": sdv_progress_of(request.user)}
    return render(request, "ramunet/oversight/partials/sdv_progress.html", context)


@oversight_view
def missing_forms(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.REVIEW)
    context = {"missing": missing_forms_of(request.user)}
    return render(request, "ramunet/oversight/partials/missing_forms.html", context)
