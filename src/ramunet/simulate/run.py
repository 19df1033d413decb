"""Simulate a RamuNET trial into the configured database, through the EDC's services.

``simulate_trial`` plans the trial (pure model: ``trial_model``, ``course_model``), then writes
every candidate in screening order: the screening log and registration, each registered
patient's visits and forms, central pathology's results and the monitor's queries. Each
patient is written in one transaction (the services' own transactions nest inside it), so an
error leaves no half-written patient. The summary reports what the system derived.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramunet.clinical.errors import WorkflowError
from ramunet.edc.endpoints import services as endpoint_services
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.protocol.criteria import criterion
from ramunet.simulate.cast import assemble_cast
from ramunet.simulate.config import SimulationConfig
from ramunet.simulate.trial_model import plan_trial
from ramunet.simulate.write_course import CourseWriter
from ramunet.simulate.write_review import monitor_queries, translational_results
from ramunet.simulate.write_screening import ensure_enrolment_target, write_candidate


@dataclass(frozen=True)
class SimulationSummary:
    """What was written, and the month-6 disease control as the system derived it."""

    config: SimulationConfig
    start: dt.date
    cutoff: dt.date
    screened: int
    failures: dict[str, int]
    registered: int
    month6_successes: int
    month6_evaluated: int
    queries: int
    translational: int
    seconds: float
    patient_codes: tuple[str, ...] = field(default=())
    # per patient (as ``patient_codes``): disease control at 6 months intended by the model
    intended_control: tuple[bool, ...] = field(default=())

    @property
    def month6_rate(self) -> float:
        return self.month6_successes / self.month6_evaluated if self.month6_evaluated else 0.0

    @property
    def ms_per_patient(self) -> float:
        return 1000.0 * self.seconds / self.registered if self.registered else 0.0


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Any]:
    if not enabled:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("simulating patients"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns) as bar:
        task = bar.add_task("patients", total=total)
        yield lambda: bar.advance(task)


def failure_counts() -> dict[str, int]:
    """Screening failures and withdrawals by reason (criterion id or text)."""
    counts: Counter[str] = Counter()
    for entry in ScreeningEntry.objects.exclude(status=ScreeningEntry.Status.REGISTERED).exclude(
        status=ScreeningEntry.Status.OPEN
    ):
        if entry.status == ScreeningEntry.Status.WITHDRAWN:
            counts[entry.closed_reason] += 1
        for item in entry.failure_reasons or []:
            code = item["criterion"]
            counts[f"{code} {criterion(code).short}" if code else item["reason"]] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def simulate_trial(
    config: SimulationConfig,
    *,
    progress: bool = True,
    append: bool = False,
    today: dt.date | None = None,
) -> SimulationSummary:
    """Simulate ``config`` into the configured (migrated) database.

    Refuses (``WorkflowError``) a database that holds patients already unless ``append``.
    ``today`` (default: the local date) sets the data cut-off, the day before it.
    """
    began = time.perf_counter()
    now = today or timezone.localdate()
    cutoff = now - dt.timedelta(days=1)
    existing = Patient.objects.count()
    screened_before = ScreeningEntry.objects.count()
    if existing and not append:
        raise WorkflowError(
            f"the database holds {existing} patients already; simulate into a fresh database "
            "or append to this one (--append)"
        )
    start = config.start_on(now)
    cast = assemble_cast(config.centres, start)
    activations = {code: day or start for code, day in cast.activations().items()}
    for code in cast.centres:
        activations.setdefault(code, start)
    plan = plan_trial(config, start, activations)
    if existing + config.patients > 45:
        ensure_enrolment_target(cast.data_manager, existing + config.patients)
    queries = results = 0
    codes: list[str] = []
    intended: list[bool] = []
    with _progress_bar(progress, config.patients) as advance:
        for candidate in plan.candidates:
            if candidate.first_dose > cutoff:
                break  # still recruiting at the data cut-off: later candidates not yet seen
            with transaction.atomic(), endpoint_services.deferred():
                written = write_candidate(cast, candidate)
                if not isinstance(written, Patient) or candidate.course is None:
                    continue
                nurse = cast.nurses[candidate.centre]
                writer = CourseWriter(nurse, written, candidate, cutoff)
                samples = writer.write()
                results += translational_results(
                    cast, writer.patient, samples, candidate.course, cutoff
                )
                queries += monitor_queries(cast, writer.patient, candidate.course)
                codes.append(written.code)
                intended.append(candidate.course.outcome.controlled)
            advance()
    endpoints = PatientEndpoints.objects.filter(patient__code__in=codes)
    evaluated = endpoints.exclude(month6_success__isnull=True)
    return SimulationSummary(
        config=config,
        start=start,
        cutoff=cutoff,
        screened=ScreeningEntry.objects.count() - screened_before,
        failures=failure_counts(),
        registered=len(codes),
        month6_successes=evaluated.filter(month6_success=True).count(),
        month6_evaluated=evaluated.count(),
        queries=queries,
        translational=results,
        seconds=time.perf_counter() - began,
        patient_codes=tuple(codes),
        intended_control=tuple(intended),
    )
