"""A patient's forms with their SDV, review and freeze state, read in a fixed number of
queries (one per form type, one for every mark), for the SDV and lock pages.

The validity rule is the one of ``review.services.mark_status``: a mark holds while the form
still has the version it was given for.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from ramunet.edc.crfs.models import FORMS, FormRecord
from ramunet.edc.review.models import FormMark
from ramunet.edc.screening.models import Patient


@dataclass(frozen=True)
class Mark:
    by: str
    version: int
    at: str


@dataclass(frozen=True)
class FormRow:
    """One form of the casebook with the latest SDV and review marks."""

    form: FormRecord
    code: str
    sdv: Mark | None
    review: Mark | None
    full_sdv: bool

    @property
    def sdv_valid(self) -> bool:
        return self.sdv is not None and self.sdv.version == self.form.version

    @property
    def review_valid(self) -> bool:
        return self.review is not None and self.review.version == self.form.version

    @property
    def sdv_invalidated(self) -> bool:
        return self.sdv is not None and not self.sdv_valid

    # Links, built from one reversed pattern each: a casebook lists hundreds of rows, and
    # ``reverse`` per row and link costs more than the rest of the page.
    @property
    def mark_url(self) -> str:
        return url_template("oversight:sdv_form").format(code=self.code, pk=self.form.pk)

    @property
    def audit_url(self) -> str:
        return url_template("oversight:form_audit").format(code=self.code, pk=self.form.pk)

    @property
    def ecrf_url(self) -> str:
        if not self.form.visit_id:
            return ""
        pattern = url_template("web:form")
        return pattern.format(
            patient=self.form.patient.code,
            visit=self.form.visit_id,
            code=self.code,
            pk=self.form.pk,
        )


# placeholder arguments, replaced by ``str.format`` fields after reversing once
_PLACEHOLDERS: dict[str, tuple[tuple[object, str], ...]] = {
    "oversight:sdv_form": (("FORMCODE", "{code}"), (987654321, "{pk}")),
    "oversight:form_audit": (("FORMCODE", "{code}"), (987654321, "{pk}")),
    "web:form": (("PATIENTCODE", "{patient}"), (987654321, "{visit}"), ("FORMCODE", "{code}")),
}


@functools.cache
def url_template(name: str) -> str:
    """``reverse(name)`` once, as a ``str.format`` pattern ("" if the URL does not exist)."""
    placeholders = _PLACEHOLDERS[name]
    try:
        url = reverse(name, args=[value for value, _field in placeholders])
    except NoReverseMatch:
        return ""
    url = url.replace("{", "{{").replace("}", "}}")
    for value, field in placeholders:
        url = url.replace(str(value), field, 1)
    if name == "web:form":
        url += "?instance={pk}"
    return url


def latest_marks(marks: QuerySet[FormMark]) -> dict[tuple[str, int, str], Mark]:
    """The latest mark per (form model, form id, kind)."""
    latest: dict[tuple[str, int, str], Mark] = {}
    for model, pk, kind, by, version, at in marks.order_by("at", "pk").values_list(
        "form_model", "form_pk", "kind", "by", "form_version", "at"
    ):
        latest[(model, pk, kind)] = Mark(by, version, at.isoformat(timespec="minutes"))
    return latest


def patient_form_rows(patient: Patient, full_sdv: Iterable[str]) -> list[FormRow]:
    """Every form of the patient, ordered by date and code, with its marks."""
    plan = set(full_sdv)
    marks = latest_marks(FormMark.objects.filter(patient=patient))
    rows = []
    for code, model in FORMS.items():
        for form in model.objects.filter(patient=patient):
            form.patient = patient  # already loaded: no query per form
            label = model._meta.label
            rows.append(
                FormRow(
                    form,
                    code,
                    marks.get((label, form.pk, FormMark.Kind.SDV)),
                    marks.get((label, form.pk, FormMark.Kind.REVIEW)),
                    code in plan,
                )
            )
    rows.sort(key=lambda r: (r.form.form_date, r.code, r.form.pk))
    return rows


def form_row(form: FormRecord, full_sdv: Iterable[str]) -> FormRow:
    """One form's row (after an action on it)."""
    label = form._meta.label
    marks = latest_marks(FormMark.objects.filter(form_model=label, form_pk=form.pk))
    return FormRow(
        form,
        form.FORM_CODE,
        marks.get((label, form.pk, FormMark.Kind.SDV)),
        marks.get((label, form.pk, FormMark.Kind.REVIEW)),
        form.FORM_CODE in set(full_sdv),
    )


@dataclass(frozen=True)
class PatientProgress:
    code: str
    locked: bool
    required: int
    verified: int
    invalidated: int


def patients_progress(
    patients: Iterable[tuple[int, str, bool]], full_sdv: Iterable[str]
) -> list[PatientProgress]:
    """Per patient (id, code, locked): forms needing SDV, verified, invalidated; one query per
    planned form type and one for the marks, whatever the number of patients (a page)."""
    listed = list(patients)
    ids = [pk for pk, _code, _locked in listed]
    marks = latest_marks(FormMark.objects.filter(patient_id__in=ids, kind=FormMark.Kind.SDV))
    tally: dict[int, list[int]] = {pk: [0, 0, 0] for pk in ids}
    for code in sorted(set(full_sdv)):
        model = FORMS[code]
        label = model._meta.label
        rows = model.objects.filter(patient_id__in=ids).values_list("patient_id", "pk", "version")
        for patient_id, pk, version in rows:
            counts = tally[patient_id]
            counts[0] += 1
            mark = marks.get((label, pk, FormMark.Kind.SDV))
            if mark is not None and mark.version == version:
                counts[1] += 1
            elif mark is not None:
                counts[2] += 1
    return [PatientProgress(code, locked, *tally[pk]) for pk, code, locked in listed]


def row_labels() -> dict[str, str]:
    """The words of a form row, translated once per page rather than once per row."""
    return {
        "full_sdv": gettext("100% SDV"),
        "frozen": gettext("frozen"),
        "verified": gettext("verified"),
        "reviewed": gettext("reviewed"),
        "invalidated": gettext("invalidated"),
        "not_yet": gettext("not yet"),
        "mark_verified": gettext("Mark verified"),
        "mark_reviewed": gettext("Mark reviewed"),
        "audit": gettext("Audit trail"),
        "ecrf": gettext("eCRF"),
        "no": gettext("no"),
        "unfreeze": gettext("Unfreeze"),
        "freeze": gettext("Freeze"),
        "reason": gettext("Reason"),
    }
