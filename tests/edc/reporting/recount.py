"""An independent recount of disease control at 6 months, straight from the stored forms.

Reads the tumour assessments' stored time-point responses, follow-up progression dates and
death dates (not ``PatientEndpoints``) and applies PROTOCOL-NOTES.md "Endpoints": success when
the first evaluable assessment on day 154..182 is CR, PR, SD or NON-CR/NON-PD and neither
progression nor death came before it; every treated patient is in the denominator.
"""

from __future__ import annotations

from ramunet.edc.crfs.models import Death, FollowUp, TumourAssessment
from ramunet.edc.screening.models import Patient
from ramunet.protocol.settings import DEFAULT_SETTINGS

CONTROL = {"CR", "PR", "SD", "NON-CR/NON-PD"}


def recount_month6() -> tuple[int, int]:
    """(successes, treated patients)."""
    first, last = DEFAULT_SETTINGS.month6_window
    starts = dict(Patient.objects.filter(first_dose__isnull=False).values_list("pk", "first_dose"))
    scans: dict[int, list] = {pk: [] for pk in starts}
    rows = TumourAssessment.objects.filter(baseline=False, patient_id__in=starts)
    for pk, day, derived in rows.values_list("patient_id", "form_date", "derived"):
        scans[pk].append((day, (derived or {}).get("overall", "NE")))
    deaths = dict(Death.objects.values_list("patient_id", "death_date"))
    reported = {}
    for pk, day in FollowUp.objects.filter(progression=True).values_list(
        "patient_id", "progression_date"
    ):
        if day is not None:
            reported[pk] = min(day, reported.get(pk, day))
    successes = 0
    for pk, start in starts.items():
        ordered = sorted(scans[pk])
        in_window = [
            (day, overall)
            for day, overall in ordered
            if first <= (day - start).days <= last and overall != "NE"
        ]
        if not in_window:
            continue
        day, overall = in_window[0]
        events = [d for d, o in ordered if o == "PD"]
        events += [d for d in (deaths.get(pk), reported.get(pk)) if d is not None]
        if overall in CONTROL and not any(event < day for event in events):
            successes += 1
    return successes, len(starts)
