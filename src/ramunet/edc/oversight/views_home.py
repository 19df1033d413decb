"""The oversight home page: one section per role the person holds.

Monitor: SDV progress and open queries per centre. Data manager: missing forms, query ageing,
lock status. PI/sponsor and DSMB (aggregates only): recruitment against the target, the
primary-endpoint tracker against the design, the SAE list. Biometrician: exports and lock
status. Central pathology: the tissue samples awaiting translational results.
Site staff have their own home (``web``); they are sent there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ramunet.edc.crfs.models import Biosample
from ramunet.edc.oversight import dashboards, figures
from ramunet.edc.oversight.guards import oversight_view
from ramunet.edc.oversight.views_locks import lock_status_per_centre
from ramunet.edc.queries import services as queries
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import SITE_ROLES, Role
from ramunet.stats.monitoring import RAMUNET_N, RAMUNET_R

PATHOLOGY_LIMIT = 100
SITE_HOME_ROLES = SITE_ROLES | {Role.CENTRAL_ENTRY}


def _aggregate(context: dict[str, Any]) -> None:
    tracker = dashboards.endpoint_tracker()
    recruitment = dashboards.recruitment()
    sae_total, sae_rows = dashboards.sae_list()
    context.update(
        tracker=tracker,
        design={"n": RAMUNET_N, "r": RAMUNET_R, "futility": RAMUNET_N - RAMUNET_R + 1},
        tracker_svg=figures.tracker_svg(
            tracker,
            RAMUNET_N,
            RAMUNET_R,
            {
                "title": _("Primary endpoint: disease control at month 6"),
                "desc": _(
                    "%(s)d successes, %(f)d failures, %(p)d pending of %(n)d; "
                    "%(r)d successes reject H0, %(fut)d failures make it impossible"
                )
                % {
                    "s": tracker.successes,
                    "f": tracker.failures,
                    "p": tracker.pending,
                    "n": RAMUNET_N,
                    "r": RAMUNET_R,
                    "fut": RAMUNET_N - RAMUNET_R + 1,
                },
                "success_line": _("%(r)d successes") % {"r": RAMUNET_R},
                "futility_line": _("%(f)d failures") % {"f": RAMUNET_N - RAMUNET_R + 1},
                "successes": _("successes (disease control)"),
                "pending": _("pending"),
                "failures": _("failures"),
            },
        ),
        recruitment=recruitment,
        recruitment_svg=figures.recruitment_svg(
            recruitment,
            {
                "title": _("Recruitment per centre"),
                "desc": _("%(n)d of %(target)d patients registered")
                % {"n": recruitment.registered, "target": recruitment.target},
            },
        ),
        sae_total=sae_total,
        sae_rows=sae_rows,
        sae_clock=dashboards.SAE_CLOCK_HOURS,
    )


@oversight_view
def home(request: HttpRequest) -> HttpResponse:
    held = access.roles(request.user)
    if not held or held <= SITE_HOME_ROLES:
        return redirect("home")  # the site home (web) serves site staff and the role-less
    today = timezone.localdate()
    context: dict[str, Any] = {
        "is_monitor": Role.MONITOR in held,
        "is_data_manager": Role.DATA_MANAGER in held,
        "is_aggregate": bool(held & {Role.SPONSOR, Role.DSMB, Role.DATA_MANAGER}),
        "is_biometrician": Role.BIOMETRICIAN in held,
        "is_pathology": Role.PATHOLOGY in held,
    }
    if context["is_monitor"] or context["is_data_manager"]:
        context["ageing"] = queries.query_ageing(request.user, today)
        context["bands"] = [b for b, _low, _high in queries.AGE_BANDS]
    if context["is_data_manager"]:
        context["per_centre"] = lock_status_per_centre(request.user)
    if context["is_aggregate"]:
        _aggregate(context)
    if context["is_biometrician"] or context["is_data_manager"]:
        context["locks"] = dashboards.lock_summary()
    if context["is_pathology"]:
        context["samples"] = list(
            Biosample.objects.filter(kind=Biosample.Kind.TISSUE)
            .select_related("patient")
            .annotate(results_count=Count("results"))
            .order_by("-received_on", "sample_id")[:PATHOLOGY_LIMIT]
        )
    return render(request, "ramunet/oversight/home.html", context)
