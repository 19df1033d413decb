"""Paper-CRF double data entry.

1. A data manager turns double entry on for a form type (``set_double_entry``).
2. The first transcription is the form as saved through ``crfs.services.save_form``.
3. Another person transcribes the same paper page again, blind (``enter_second``); the two
   are compared field by field and every difference is kept as an ``EntryDifference``.
4. A third person resolves each difference against the paper (``resolve``); where the paper
   says otherwise than the first transcription, the form is corrected through ``save_form``
   with the reason recorded.
5. ``error_rates`` reports how often each transcription disagreed with the resolved paper
   value, per form type and per person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.chain import jsonable
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import FORMS, FormRecord
from ramunet.edc.crfs.plans import set_form_switch
from ramunet.edc.crfs.services import save_form
from ramunet.edc.entry.models import DoubleEntryPlan, EntryDifference, SecondEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability

NOT_COMPARED = {"id", "version", "patient", "visit", "derived", "frozen", "missing"}


def _text(value: Any) -> str:
    shown = jsonable(value)
    return "" if shown is None else str(shown)


def _first_by(form: FormRecord) -> str:
    record = (
        AuditRecord.objects.filter(model=form._meta.label, object_pk=str(form.pk))
        .order_by("seq")
        .first()
    )
    return record.actor if record else ""


def double_entry_forms() -> set[str]:
    return set(DoubleEntryPlan.objects.filter(enabled=True).values_list("form_code", flat=True))


@transaction.atomic
def set_double_entry(actor: Any, form_code: str, enabled: bool) -> DoubleEntryPlan:
    """Turn double entry on or off for a form type (a data manager)."""
    access.require(actor, Capability.REVIEW)
    return set_form_switch(
        actor, DoubleEntryPlan, form_code, "enabled", enabled, action="entry.plan.set"
    )


def _clean(form: FormRecord, values: dict[str, Any]) -> dict[str, str]:
    """The second transcription, typed by the form's own fields, as comparable text."""
    fields = {f.name: f for f in form._meta.concrete_fields if f.editable}
    cleaned: dict[str, str] = {}
    for name, raw in values.items():
        if name in NOT_COMPARED or name not in fields:
            raise InvalidInput(
                name, f"not a field of the {form.FORM_CODE} form that is transcribed"
            )
        try:
            value = fields[name].to_python(raw) if raw not in (None, "") else None
        except Exception:
            raise InvalidInput(name, "is not a valid value for this field", raw) from None
        cleaned[name] = _text(value)
    return cleaned


@transaction.atomic
def enter_second(actor: Any, form: FormRecord, values: dict[str, Any]) -> SecondEntry:
    """The second, blind transcription of ``form``'s paper page, by someone else."""
    access.require(actor, Capability.ENTER_DATA, form.patient.centre_id)
    if form.FORM_CODE not in double_entry_forms():
        raise WorkflowError(f"double entry is not turned on for {form.FORM_CODE} forms")
    if SecondEntry.objects.filter(form_model=form._meta.label, form_pk=form.pk).exists():
        raise WorkflowError(f"{form.FORM_CODE} form #{form.pk} has its second entry already")
    first_by, second_by = _first_by(form), audit.actor_name(actor)
    if first_by == second_by:
        raise PermissionRefused(
            f"{second_by} entered this form first; the second entry needs another person"
        )
    second = _clean(form, values)
    entry = audit.create(
        SecondEntry(
            patient=form.patient,
            form_model=form._meta.label,
            form_pk=form.pk,
            first_by=first_by,
            second_by=second_by,
            values=second,
            entered_at=timezone.now(),
        ),
        actor=actor,
        action="entry.second.entered",
    )
    # fields the second person left out count when the first entry holds a value other
    # than the field's default (a unit left at its default is not a transcription)
    compared = set(second) | {
        f.name
        for f in form._meta.concrete_fields
        if f.editable
        and f.name not in NOT_COMPARED
        and getattr(form, f.name) not in (None, "", f.get_default())
    }
    for name in sorted(compared):
        first = _text(getattr(form, name))
        if first != second.get(name, ""):
            audit.create(
                EntryDifference(
                    entry=entry, field=name, first_value=first, second_value=second.get(name, "")
                ),
                actor="system",
                action="entry.difference.found",
            )
    return entry


@transaction.atomic
def resolve(
    actor: Any, difference: EntryDifference, paper_value: Any, *, today: dt.date | None = None
) -> EntryDifference:
    """A third person reads the paper and records its value; the form follows the paper."""
    entry = difference.entry
    access.require(actor, Capability.ENTER_DATA, entry.patient.centre_id)
    name = audit.actor_name(actor)
    if name in (entry.first_by, entry.second_by):
        raise PermissionRefused(
            f"{name} transcribed this form; a third person resolves the differences"
        )
    if difference.status == EntryDifference.Status.RESOLVED:
        raise WorkflowError(f"the difference in {difference.field} is resolved already")
    model = next(m for m in FORMS.values() if m._meta.label == entry.form_model)
    form = model.objects.select_related("patient__centre").get(pk=entry.form_pk)
    value = _clean(form, {difference.field: paper_value})[difference.field]
    if value != _text(getattr(form, difference.field)):
        save_form(
            actor,
            model,
            patient=form.patient,
            instance=form,
            values={difference.field: paper_value if paper_value != "" else None},
            expected_version=form.version,
            today=today,
            reason=f"double-entry resolution against paper page {form.crf_page or '?'}",
        )
    return audit.update(
        difference,
        {"resolved_value": value, "resolved_by": name, "status": EntryDifference.Status.RESOLVED},
        actor=actor,
        expected_version=difference.version,
        reason="resolved against the paper",
        action="entry.difference.resolved",
    )


@dataclass(frozen=True)
class ErrorRate:
    """Transcription errors found by double entry: fields compared and fields wrong."""

    key: str
    fields: int
    errors: int

    @property
    def rate(self) -> float:
        return self.errors / self.fields if self.fields else 0.0


def error_rates(user: Any) -> tuple[list[ErrorRate], list[ErrorRate]]:
    """Per form type and per person: how often a transcription differed from the paper."""
    per_form: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_person: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    entries = access.scope(
        SecondEntry.objects.all(), user, Capability.VIEW_PATIENTS, "patient__centre"
    ).prefetch_related("differences")
    for entry in entries:
        code = entry.form_model.split(".")[-1]
        compared = len(entry.values)
        for who in (entry.first_by, entry.second_by):
            per_person[who][0] += compared
        per_form[code][0] += 2 * compared
        for diff in entry.differences.all():
            if diff.status != EntryDifference.Status.RESOLVED:
                continue
            for who, value in (
                (entry.first_by, diff.first_value),
                (entry.second_by, diff.second_value),
            ):
                if value != diff.resolved_value:
                    per_person[who][1] += 1
                    per_form[code][1] += 1
    return (
        [ErrorRate(k, *v) for k, v in sorted(per_form.items())],
        [ErrorRate(k, *v) for k, v in sorted(per_person.items())],
    )
