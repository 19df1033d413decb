"""A registered patient's course written visit by visit through the EDC's services.

The calendar is the one the EDC made at registration (``visits.services``): the writer walks
its planned visits in date order (an assessment before a cycle visit on the same day, as the
scan comes before the next dose), records each done or missed, and saves its forms as the
centre's nurse. Cycle delays go through ``delay_visit`` (which moves the later schedule),
the end of treatment through ``end_treatment``, nadir blood counts through unscheduled
visits. Nothing after ``cutoff`` (the data cut-off, yesterday by default) is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ramunet.edc.crfs import tumour
from ramunet.edc.crfs.models import Biosample, Death, Ecog, EndOfStudy, EndOfTreatment
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits import services as visits
from ramunet.edc.visits.models import Visit
from ramunet.simulate import write_baseline as baseline
from ramunet.simulate import write_forms as forms
from ramunet.simulate.course_model import CYCLES, PatientCourse
from ramunet.simulate.trial_model import Candidate

CYCLE = re.compile(r"^C(\d+)D(1|15)$")
ASSESSMENT = re.compile(r"^(W\d+|M\d+)$")
LAST_FOLLOW_UP = "M24"


@dataclass
class _State:
    """What the writer has recorded so far for one patient."""

    on_treatment: bool = True
    last_dose: dt.date | None = None
    progression_seen: dt.date | None = None
    eot_reason: str = ""
    finished: bool = False  # died, withdrew or completed the study
    done_events: set[int] = field(default_factory=set)
    samples: int = 2
    applied_delays: set[int] = field(default_factory=set)


def _order(visit: Visit) -> tuple[dt.date, int, int]:
    return (visit.planned_date, 0 if ASSESSMENT.match(visit.code) else 1, visit.order)


def _planned_visits(patient: Patient, cutoff: dt.date) -> list[Visit]:
    planned = Visit.objects.filter(
        patient=patient, status=Visit.Status.PLANNED, planned_date__lte=cutoff
    ).select_related("patient__centre")
    return sorted(planned, key=_order)


class CourseWriter:
    """Writes one registered patient's course (``write``), acting as the centre's nurse."""

    def __init__(self, nurse: Any, patient: Patient, candidate: Candidate, cutoff: dt.date) -> None:
        assert candidate.course is not None
        self.nurse = nurse
        self.patient = patient
        self.candidate = candidate
        self.course: PatientCourse = candidate.course
        self.cutoff = cutoff
        self.state = _State()
        self.first_dose = candidate.first_dose
        self.cycle_start: dict[int, dt.date] = {}
        self.samples: list[Biosample] = []
        self.pending: list[Visit] = []

    # -- the walk ---------------------------------------------------------------------------

    def write(self) -> list[Biosample]:
        """Write the course; returns the patient's baseline samples (for central pathology)."""
        scr = Visit.objects.get(patient=self.patient, code="SCR")
        self.samples = baseline.screening_forms(
            self.nurse, self.patient, scr, self.candidate, self.course, self.cutoff
        )
        self.pending = _planned_visits(self.patient, self.cutoff)
        while not self.state.finished:
            visit = self.pending.pop(0) if self.pending else None
            when = visit.planned_date if visit is not None else self.cutoff
            if self._life_event_before(when):
                break
            if visit is None:
                break
            self._visit(visit)
        return self.samples

    def _replan(self) -> None:
        """The calendar moved (a delay, the end of treatment): read the planned visits again."""
        self.pending = _planned_visits(self.patient, self.cutoff)

    def day(self, on: dt.date) -> int:
        return (on - self.first_dose).days

    def _life_event_before(self, when: dt.date) -> bool:
        """Death or withdrawal before ``when`` (and not after the cut-off): write it, stop."""
        outcome = self.course.outcome
        for day, kind in ((outcome.death_day, "death"), (outcome.withdrawal_day, "withdrawal")):
            if day is None:
                continue
            on = self.first_dose + dt.timedelta(days=day)
            if on < when and on <= self.cutoff:
                self._leave(on, kind)
                return True
        return False

    def _visit(self, visit: Visit) -> None:
        code = visit.code
        match = CYCLE.match(code)
        if match:
            self._cycle_visit(visit, int(match.group(1)), int(match.group(2)))
        elif ASSESSMENT.match(code):
            self._assessment(visit)
        elif code == "EOT":
            self._record(visit)
            reason = self.state.eot_reason or "completed"
            forms.save(
                self.nurse,
                EndOfTreatment,
                self.patient,
                visit,
                form_date=visit.planned_date,
                last_dose_date=self.state.last_dose,
                reason=reason,
            )
        else:  # SFU: the safety follow-up, no further forms expected
            self._record(visit)

    def _record(self, visit: Visit) -> dt.date:
        visits.record_visit(self.nurse, visit, visit.planned_date)
        if visit.code == "C1D1":  # the first dose: the patient row changed (first_dose, status)
            self._refresh()
        return visit.planned_date

    def _refresh(self) -> None:
        self.patient = Patient.objects.select_related("centre").get(pk=self.patient.pk)

    # -- treatment ------------------------------------------------------------------------

    def _cycle_visit(self, visit: Visit, cycle: int, cycle_day: int) -> None:
        delay = self.course.delays.get(cycle, 0)
        if cycle_day == 1 and delay and cycle not in self.state.applied_delays:
            self.state.applied_delays.add(cycle)
            visits.delay_visit(
                self.nurse,
                visit,
                visit.planned_date + dt.timedelta(days=delay),
                "blood counts not recovered after the grade >= 3 nadir (protocol: delay until "
                "ANC >= 1.5 and platelets >= 100 x 10^9/L)",
            )
            self._replan()
            return
        on = self._record(visit)
        if cycle_day == 1:
            self.cycle_start[cycle] = on
        self._events_at(cycle, cycle_day, on)
        nurse, patient, course = self.nurse, self.patient, self.course
        if cycle_day == 1:
            forms.physical(nurse, patient, visit, on, course, cycle=cycle)
            forms.save(
                nurse,
                Ecog,
                patient,
                visit,
                form_date=on,
                ecog=forms.course_ecog(course, self.day(on)),
            )
            forms.haematology(nurse, patient, visit, on, course, cycle=cycle, cycle_day=1)
            forms.chemistry(nurse, patient, visit, on, course, cycle=cycle)
        forms.vitals(nurse, patient, visit, on, course, cycle=cycle, cycle_day=cycle_day)
        forms.urine(nurse, patient, visit, on, course, cycle=cycle, cycle_day=cycle_day)
        forms.exposure(nurse, patient, visit, on, course, cycle=cycle, cycle_day=cycle_day)
        self.state.last_dose = on
        if cycle_day == 15:
            self._nadir_count(cycle)
            if cycle == self.course.outcome.toxicity_stop_cycle and cycle < CYCLES:
                self._end_treatment("toxicity", "unacceptable toxicity")
            elif cycle >= CYCLES:
                self._end_treatment("completed", "protocol treatment completed (6 cycles)")

    def _events_at(self, cycle: int, cycle_day: int, on: dt.date) -> None:
        """Adverse events starting at this visit, saved before its laboratory values."""
        for number, event in enumerate(self.course.events):
            if (event.cycle, event.cycle_day) == (cycle, cycle_day):
                onset = on + dt.timedelta(days=1) if event.term == "Nausea" else on
                if onset <= self.cutoff:
                    forms.adverse_event(self.nurse, self.patient, onset, event, self.cutoff)
                self.state.done_events.add(number)

    def _nadir_count(self, cycle: int) -> None:
        """A grade >= 3 cytopenia found by a blood count three weeks after day 1."""
        nadirs = [e for e in self.course.events if (e.cycle, e.cycle_day) == (cycle, 22)]
        start = self.cycle_start.get(cycle)
        if not nadirs or start is None:
            return
        on = start + dt.timedelta(days=21)
        if on > self.cutoff:
            return
        visit = visits.add_unscheduled(
            self.nurse,
            self.patient,
            on,
            "blood count at the expected dacarbazine nadir",
            ["HAEM"],
        )
        self._events_at(cycle, 22, on)
        forms.haematology(
            self.nurse, self.patient, visit, on, self.course, cycle=cycle, cycle_day=22
        )

    def _end_treatment(self, reason: str, text: str) -> None:
        if not self.state.on_treatment or self.state.last_dose is None:
            return
        visits.end_treatment(self.nurse, self.patient, self.state.last_dose, text)
        self._refresh()
        self._replan()
        self.state.on_treatment = False
        self.state.eot_reason = reason

    # -- assessments ----------------------------------------------------------------------

    def _assessment(self, visit: Visit) -> None:
        if self.state.progression_seen is not None and visit.code.startswith("W"):
            visits.mark_missed(
                self.nurse, visit, "no protocol imaging after progression; followed for survival"
            )
            return
        on = self._record(visit)
        day = self.day(on)
        nurse, patient, course = self.nurse, self.patient, self.course
        if self.state.progression_seen is None:
            has_non_target = any(not lesion.target for lesion in course.lesions)
            tumour.save_followup_assessment(
                nurse,
                patient,
                form_date=on,
                visit=visit,
                measurements={
                    k: forms.decimal_of(v) for k, v in course.target_sizes_mm(day).items()
                },
                non_target="NON-CR/NON-PD" if has_non_target else "",
                new_lesions=course.new_lesions(day),
            )
            forms.cga(nurse, patient, visit, on, course, day=day)
            forms.qlq(
                nurse,
                patient,
                visit,
                on,
                course,
                day=day,
                toxicity_grade=course.active_grade(day, self.state.on_treatment),
            )
            self.state.samples += 1
            forms.biosample(nurse, patient, visit, on, "serum", self.state.samples, self.cutoff)
            if course.progressed_by(day):
                self.state.progression_seen = on
                self._end_treatment("progression", "disease progression (RECIST 1.1)")
                patient = self.patient
        if visit.code.startswith("M"):
            forms.follow_up(
                nurse, patient, visit, on, self.state.progression_seen, course.subsequent_therapy
            )
            if visit.code == LAST_FOLLOW_UP:
                forms.save(
                    nurse, EndOfStudy, patient, None, form_date=on, end_date=on, reason="completed"
                )
                self.state.finished = True

    # -- leaving the study -----------------------------------------------------------------

    def _leave(self, on: dt.date, kind: str) -> None:
        """Death or consent withdrawal on ``on``: end treatment, the forms, remaining visits
        missed."""
        nurse, patient = self.nurse, self.patient
        if self.state.on_treatment and self.state.last_dose is not None:
            reason = "death" if kind == "death" else "patient_decision"
            self._end_treatment(reason, "death" if kind == "death" else "consent withdrawn")
            forms.save(
                nurse,
                EndOfTreatment,
                patient,
                None,
                form_date=on,
                last_dose_date=self.state.last_dose,
                reason=reason,
            )
        if kind == "death":
            forms.save(
                nurse, Death, patient, None, form_date=on, death_date=on, cause="progression"
            )
            forms.save(nurse, EndOfStudy, patient, None, form_date=on, end_date=on, reason="death")
            why = f"the patient died on {on.isoformat()}"
        else:
            forms.save(
                nurse,
                EndOfStudy,
                patient,
                None,
                form_date=on,
                end_date=on,
                reason="consent_withdrawn",
            )
            why = f"consent withdrawn on {on.isoformat()}"
        for visit in Visit.objects.filter(patient=patient, status=Visit.Status.PLANNED).order_by(
            "planned_date", "order"
        ):
            visits.mark_missed(nurse, visit, why)
        self.state.finished = True
