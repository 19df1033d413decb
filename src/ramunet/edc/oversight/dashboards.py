"""What the oversight home pages show, computed in a few aggregate queries each: recruitment
per centre against the target, the primary-endpoint tracker against the exact design, the
SAE list with its 24-hour reporting clock, lock status and missing forms.

References
----------
A'Hern RP. Sample size tables for exact single-stage phase II designs. Stat Med
2001;20:859-866 (RamuNET: n = 45, success with at least 33 disease controls at month 6).
Lee JJ, Liu DD. A predictive probability design for phase II cancer clinical trials.
Clin Trials 2008;5:93-106.
ICH E2A, §III.A.1 and German AMG/GCP-V §13: serious adverse events reported to the sponsor
without delay, at the latest within 24 hours of the investigator becoming aware.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import AdverseEvent
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.screening.models import Patient, StudyStatus
from ramunet.edc.sites.models import Centre
from ramunet.edc.visits.worklist import missing_form_counts
from ramunet.stats.monitoring import RAMUNET_N, RAMUNET_R, InterimStatus, interim_status

SAE_CLOCK_HOURS = 24
SAE_LIST_LIMIT = 100


@dataclass(frozen=True)
class CentreRecruitment:
    code: str
    name: str
    registered: int
    target: int

    @property
    def percent(self) -> float:
        return 100.0 * self.registered / self.target if self.target else 0.0


@dataclass(frozen=True)
class Recruitment:
    """Registered patients per centre; each centre's share of the study target."""

    target: int
    centres: tuple[CentreRecruitment, ...]

    @property
    def registered(self) -> int:
        return sum(c.registered for c in self.centres)


def recruitment() -> Recruitment:
    """Registered patients per centre against an equal share of the enrolment target.

    The protocol plans 45 patients at about 8 centres (PROTOCOL-NOTES "Design figures"); a
    centre's target is the study target divided by the active centres, rounded up.
    """
    status = StudyStatus.objects.filter(pk=1).first()
    target = status.enrolment_target if status else RAMUNET_N
    counts = {
        row["centre_id"]: row["n"]
        for row in Patient.objects.values("centre_id").annotate(n=Count("pk")).order_by()
    }
    centres = list(Centre.objects.filter(closed_on__isnull=True).order_by("code"))
    centres += [c for c in Centre.objects.filter(pk__in=counts).exclude(closed_on__isnull=True)]
    share = math.ceil(target / len(centres)) if centres else target
    return Recruitment(
        target,
        tuple(CentreRecruitment(c.code, c.name, counts.get(c.pk, 0), share) for c in centres),
    )


@dataclass(frozen=True)
class Tracker:
    """The primary endpoint so far: disease control at month 6, per patient."""

    registered: int
    successes: int
    failures: int
    status: InterimStatus | None
    problem: str = ""

    @property
    def pending(self) -> int:
        return max(0, self.registered - self.successes - self.failures)

    @property
    def predictive_percent(self) -> float | None:
        return None if self.status is None else 100.0 * self.status.predictive_probability


def endpoint_tracker() -> Tracker:
    """Successes and failures of month-6 disease control from ``PatientEndpoints``, the
    curtailment decision (certain yet?) and the Beta(1, 1) predictive probability of ending
    with at least 33 of 45 (``stats.monitoring.interim_status``)."""
    counts = PatientEndpoints.objects.aggregate(
        successes=Count("pk", filter=Q(month6_success=True)),
        failures=Count("pk", filter=Q(month6_success=False)),
    )
    registered = Patient.objects.count()
    successes, failures = counts["successes"], counts["failures"]
    try:
        status = interim_status(successes, failures, RAMUNET_N, RAMUNET_R)
    except InvalidInput as error:
        return Tracker(registered, successes, failures, None, f"{error.field}: {error.rule}")
    return Tracker(registered, successes, failures, status)


@dataclass(frozen=True)
class SaeRow:
    patient: str
    centre: str
    term: str
    grade: int
    onset: dt.date
    aware_at: dt.datetime | None
    reported_at: dt.datetime | None
    hours_to_report: float | None  # reported: hours from awareness; else hours waiting
    reported: bool

    @property
    def late(self) -> bool:
        return self.hours_to_report is not None and self.hours_to_report > SAE_CLOCK_HOURS


def sae_list(now: dt.datetime | None = None) -> tuple[int, list[SaeRow]]:
    """The serious adverse events, newest onset first (at most ``SAE_LIST_LIMIT``), with the
    24-hour clock from awareness to the report; and the total number."""
    moment = now or timezone.now()
    rows = AdverseEvent.objects.filter(serious=True)
    total = rows.count()
    listed = []
    for ae in rows.select_related("patient__centre").order_by("-form_date", "-pk")[:SAE_LIST_LIMIT]:
        hours = None
        if ae.sae_aware_at is not None:
            end = ae.sae_reported_at or moment
            hours = (end - ae.sae_aware_at).total_seconds() / 3600
        listed.append(
            SaeRow(
                ae.patient.code,
                ae.patient.centre.code,
                ae.term,
                ae.grade,
                ae.form_date,
                ae.sae_aware_at,
                ae.sae_reported_at,
                hours,
                ae.sae_reported_at is not None,
            )
        )
    return total, listed


def lock_summary() -> dict[str, Any]:
    """The database lock and the patients locked, study-wide (aggregate counts only)."""
    counts = Patient.objects.aggregate(total=Count("pk"), locked=Count("pk", filter=Q(locked=True)))
    return {"database_locked": audit.database_locked(), **counts}


def missing_forms_per_centre(user: Any, today: dt.date) -> dict[str, int]:
    """Expected forms not yet entered at visits done, per centre in scope."""
    return missing_form_counts(user)
