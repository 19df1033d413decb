"""``load_dataset``: the trial database read into the report's plain rows, one query per table.

Every query is a bulk ``values_list`` (JSON keys read with key transforms, so that the large
``derived`` documents are not decoded whole); nothing is read per patient. The rows are sorted
so that the same database always gives the same ``TrialDataset`` (and snapshot hash).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.derive import LAB_FIELDS
from ramunet.edc.crfs.models import (
    AdverseEvent,
    ChromograninA,
    Death,
    Demographics,
    Ecog,
    EndOfStudy,
    EndOfTreatment,
    QlqC30,
    TranslationalResult,
    TumourAssessment,
    UrineProtein,
    VitalSigns,
)
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites.models import Centre
from ramunet.report.dataset import (
    AdverseEventRow,
    BiomarkerValue,
    CentreRow,
    CgaValue,
    EndpointRow,
    LabGrade,
    PatientRow,
    QlqScores,
    ScreeningRow,
    TrialDataset,
    TumourPoint,
)


def _number(value: Any) -> float | None:
    """A stored number (Decimal, JSON string or number) as float; None when empty."""
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def _centres() -> tuple[CentreRow, ...]:
    rows = Centre.objects.order_by("code").values_list("code", "name", "activated_on")
    return tuple(CentreRow(code, name, activated) for code, name, activated in rows)


def _failure_text(reason: Mapping[str, str]) -> str:
    return reason.get("criterion") or reason.get("reason", "") or "not stated"


def _screening() -> tuple[ScreeningRow, ...]:
    rows = ScreeningEntry.objects.order_by("centre__code", "number").values_list(
        "centre__code", "number", "screened_on", "status", "failure_reasons"
    )
    return tuple(
        ScreeningRow(centre, number, day, status, tuple(_failure_text(r) for r in reasons or ()))
        for centre, number, day, status, reasons in rows
    )


def _latest_by_patient(rows: Iterable[tuple[Any, ...]]) -> dict[int, tuple[Any, ...]]:
    """The last row per patient id (rows come ordered by date and pk)."""
    return {row[0]: row[1:] for row in rows}


def _baseline_ecog(first_doses: Mapping[int, dt.date | None]) -> dict[int, int]:
    """ECOG of the last assessment on or before the first dose (else the first one)."""
    found: dict[int, int] = {}
    rows = (
        Ecog.objects.filter(ecog__isnull=False)
        .order_by("patient_id", "form_date", "pk")
        .values_list("patient_id", "form_date", "ecog")
    )
    for patient_id, day, ecog in rows:
        first = first_doses.get(patient_id)
        if patient_id not in found or (first is not None and day <= first):
            found[patient_id] = ecog
    return found


def _patients() -> tuple[dict[int, str], tuple[PatientRow, ...]]:
    rows = list(
        Patient.objects.order_by("code").values_list(
            "pk",
            "code",
            "centre__code",
            "sex",
            "year_of_birth",
            "consent_date",
            "registered_on",
            "first_dose",
            "status",
        )
    )
    codes = {row[0]: row[1] for row in rows}
    demog = _latest_by_patient(
        Demographics.objects.order_by("form_date", "pk").values_list(
            "patient_id", "tumour_grade", "ki67_percent", "functional_tumour", "liver_metastases"
        )
    )
    ecog = _baseline_ecog({row[0]: row[7] for row in rows})
    eot = _latest_by_patient(
        EndOfTreatment.objects.order_by("form_date", "pk").values_list(
            "patient_id", "last_dose_date", "reason"
        )
    )
    eos = _latest_by_patient(
        EndOfStudy.objects.order_by("form_date", "pk").values_list(
            "patient_id", "end_date", "reason"
        )
    )
    deaths = _latest_by_patient(
        Death.objects.order_by("-death_date", "-pk").values_list("patient_id", "death_date")
    )
    patients = []
    for pk, code, centre, sex, born, consent, registered, first_dose, status in rows:
        grade, ki67, functional, liver = demog.get(pk, ("", None, None, None))
        eot_date, eot_reason = eot.get(pk, (None, ""))
        eos_date, eos_reason = eos.get(pk, (None, ""))
        patients.append(
            PatientRow(
                code=code,
                centre=centre,
                sex=sex,
                year_of_birth=born,
                consent_date=consent,
                registered_on=registered,
                first_dose=first_dose,
                status=status,
                tumour_grade=grade or "",
                ki67_percent=_number(ki67),
                functional_tumour=functional,
                liver_metastases=liver,
                ecog_baseline=ecog.get(pk),
                end_of_treatment_date=eot_date,
                end_of_treatment_reason=eot_reason,
                end_of_study_date=eos_date,
                end_of_study_reason=eos_reason,
                death_date=deaths.get(pk, (None,))[0],
            )
        )
    return codes, tuple(patients)


def _rdi(intensity: Mapping[str, Any], drug: str) -> float | None:
    return _number((intensity.get(drug) or {}).get("percent"))


def _endpoints(codes: Mapping[int, str]) -> tuple[EndpointRow, ...]:
    rows = PatientEndpoints.objects.values_list(
        "patient_id",
        "best_response",
        "best_response_confirmed",
        "month6_success",
        "month6_reason",
        "month6_assessment_date",
        "progression_date",
        "pfs_event",
        "pfs_days",
        "os_event",
        "os_days",
        "cga_best_response",
        "dose_intensity",
    )
    found = [
        EndpointRow(
            patient=codes[row[0]],
            best_response=row[1] or "NE",
            best_response_confirmed=row[2] or "NE",
            month6_success=row[3],
            month6_reason=row[4],
            month6_assessment_date=row[5],
            progression_date=row[6],
            pfs_event=row[7],
            pfs_days=row[8],
            os_event=row[9],
            os_days=row[10],
            cga_best_response=row[11],
            cycles=(row[12] or {}).get("cycles"),
            rdi_ramucirumab_pct=_rdi(row[12] or {}, "ramucirumab"),
            rdi_dacarbazine_pct=_rdi(row[12] or {}, "dacarbazine"),
        )
        for row in rows
    ]
    return tuple(sorted(found, key=lambda row: row.patient))


def _tumour(codes: Mapping[int, str]) -> tuple[TumourPoint, ...]:
    rows = TumourAssessment.objects.filter(baseline=False).values_list(
        "patient_id", "form_date", "derived__overall", "derived__change_from_baseline_pct"
    )
    found = [
        TumourPoint(codes[pk], day, overall or "NE", _number(change))
        for pk, day, overall, change in rows
    ]
    return tuple(sorted(found, key=lambda p: (p.patient, p.date, p.overall)))


def _adverse_events(codes: Mapping[int, str]) -> tuple[AdverseEventRow, ...]:
    rows = AdverseEvent.objects.values_list(
        "patient_id",
        "term",
        "grade",
        "form_date",
        "end_date",
        "serious",
        "seriousness",
        "relation_ramucirumab",
        "relation_dacarbazine",
        "outcome",
    )
    found = [
        AdverseEventRow(
            codes[pk], term, grade, onset, end, serious, tuple(seriousness or ()), ram, dtic, out
        )
        for pk, term, grade, onset, end, serious, seriousness, ram, dtic, out in rows
    ]
    return tuple(sorted(found, key=lambda e: (e.patient, e.onset, e.term, e.grade)))


def _keep_worst(worst: dict[tuple[int, str], int], pk: int, term: Any, grade: Any) -> None:
    if isinstance(term, str) and isinstance(grade, int) and grade >= 1:
        key = (pk, term)
        if grade > worst.get(key, 0):
            worst[key] = grade


def _lab_grades(codes: Mapping[int, str]) -> tuple[LabGrade, ...]:
    """Worst CTCAE grade per patient and term graded from lab values, blood pressure and
    urine protein (``derived`` of the lab forms; clinical-rules.md §2)."""
    worst: dict[tuple[int, str], int] = {}
    for model, names in LAB_FIELDS.items():
        # only forms with a value graded >= 1 (most lab values are grade 0): one query each
        graded_form = Q()
        for name in names:
            graded_form |= Q(**{f"derived__{name}__worst_grade__gte": 1})
        paths = [f"derived__{name}__ctcae" for name in names]
        for pk, *lists in model.objects.filter(graded_form).values_list("patient_id", *paths):
            for graded in lists:
                for entry in graded or ():
                    _keep_worst(worst, pk, entry.get("term"), entry.get("grade"))
    for model, key in ((VitalSigns, "hypertension"), (UrineProtein, "proteinuria")):
        rows = model.objects.filter(**{f"derived__{key}__grade__gte": 1}).values_list(
            "patient_id", f"derived__{key}__term", f"derived__{key}__grade"
        )
        for pk, term, grade in rows:
            _keep_worst(worst, pk, term, grade)
    found = [LabGrade(codes[pk], term, grade) for (pk, term), grade in worst.items()]
    return tuple(sorted(found, key=lambda g: (g.patient, g.term)))


def _cga(codes: Mapping[int, str]) -> tuple[CgaValue, ...]:
    rows = ChromograninA.objects.filter(value__isnull=False).values_list(
        "patient_id", "form_date", "marker", "value", "uln", "pk"
    )
    found = [
        (codes[pk], day, marker, float(value), _number(uln), row_pk)
        for pk, day, marker, value, uln, row_pk in rows
    ]
    found.sort(key=lambda row: (row[0], row[1], row[5]))
    return tuple(CgaValue(*row[:5]) for row in found)


def _qlq(codes: Mapping[int, str]) -> tuple[QlqScores, ...]:
    rows = QlqC30.objects.values_list("patient_id", "form_date", "derived__scores", "pk")
    found = []
    for pk, day, scores, row_pk in rows:
        if not scores:
            continue
        pairs = tuple((code, _number(scores[code])) for code in sorted(scores))
        found.append((codes[pk], day, row_pk, pairs))
    found.sort(key=lambda row: (row[0], row[1], row[2]))
    return tuple(QlqScores(code, day, pairs) for code, day, _pk, pairs in found)


def _biomarkers(codes: Mapping[int, str]) -> tuple[BiomarkerValue, ...]:
    rows = TranslationalResult.objects.values_list("patient_id", "marker", "value", "category")
    names = dict(TranslationalResult.Marker.choices)
    found = [
        BiomarkerValue(codes[pk], names.get(marker, marker), _number(value), category or "")
        for pk, marker, value, category in rows
    ]
    return tuple(sorted(found, key=lambda b: (b.patient, b.marker, b.value or 0.0, b.category)))


def _data_cutoff(
    patients: tuple[PatientRow, ...],
    endpoints: tuple[EndpointRow, ...],
    others: Iterable[dt.date | None],
) -> dt.date | None:
    """The latest clinical date in the data (registration, assessment, event, contact)."""
    first_doses = {p.code: p.first_dose for p in patients}
    days = [p.registered_on for p in patients]
    days += [d for p in patients for d in (p.death_date, p.end_of_study_date) if d]
    for row in endpoints:
        first = first_doses.get(row.patient)
        if first is not None and row.os_days is not None:
            days.append(first + dt.timedelta(days=row.os_days))
    days += [d for d in others if d is not None]
    return max(days, default=None)


def load_dataset() -> TrialDataset:
    """Read the whole trial into a ``TrialDataset`` in one read transaction.

    Returns
    -------
    TrialDataset
        Centres, the screening log, patients with their baseline, the derived endpoints,
        RECIST time points, adverse events, lab CTCAE grades, CgA, QLQ-C30 scores, biomarkers,
        the lock status and the audit chain's head.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # one snapshot for every query (SQLite's IMMEDIATE transaction already holds one)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        codes, patients = _patients()
        endpoints = _endpoints(codes)
        tumour = _tumour(codes)
        events = _adverse_events(codes)
        cga = _cga(codes)
        qlq = _qlq(codes)
        head = audit.chain_head()
        dataset = TrialDataset(
            centres=_centres(),
            screening=_screening(),
            patients=patients,
            endpoints=endpoints,
            tumour=tumour,
            adverse_events=events,
            lab_grades=_lab_grades(codes),
            cga=cga,
            qlq=qlq,
            biomarkers=_biomarkers(codes),
            locked=audit.database_locked(),
            audit_seq=int(head[0]),
            audit_head_hash=str(head[1]),
            data_cutoff=_data_cutoff(
                patients,
                endpoints,
                [p.date for p in tumour]
                + [e.onset for e in events]
                + [c.date for c in cga]
                + [q.date for q in qlq],
            ),
        )
    return dataset
