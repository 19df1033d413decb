"""Source data verification, data manager review, and the investigator's e-signature.

Validity is computed, not stored: an SDV or review mark is valid while the form still has the
version it was given for; a signature is valid while the casebook's digest (every form's
model, id and version) is the one that was signed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramunet.clinical.errors import PermissionRefused, WorkflowError
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import FORMS, FormRecord, Lesion, LesionMeasurement
from ramunet.edc.crfs.plans import set_form_switch
from ramunet.edc.review.models import FormMark, SdvPlanEntry, Signature
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites import services as sites_services
from ramunet.edc.sites.models import Account
from ramunet.edc.sites.roles import Capability

SIGNATURE_MEANING = (
    "I am the investigator responsible for this patient. I have reviewed the data in this "
    "casebook and confirm that they are accurate and complete."
)

# Forms needing 100% SDV unless the monitor's plan says otherwise: the primary endpoint,
# eligibility-relevant baseline, treatment and safety data.
DEFAULT_FULL_SDV: frozenset[str] = frozenset(
    {"DEMOG", "TUMOUR", "EXPOSURE", "AE", "EOT", "DEATH", "FOLLOWUP", "PRIOR"}
)


def patient_forms(patient: Patient) -> Iterable[FormRecord]:
    for model in FORMS.values():
        yield from model.objects.filter(patient=patient).select_related("patient__centre")


def casebook_digest(patient: Patient) -> tuple[str, int]:
    """SHA-256 over every form, lesion and measurement (model, id, version) of the patient."""
    entries = [
        (model._meta.label, pk, v)
        for model in FORMS.values()
        for pk, v in model.objects.filter(patient=patient).values_list("pk", "version")
    ]
    entries += [
        ("crfs.Lesion", pk, v)
        for pk, v in Lesion.objects.filter(patient=patient).values_list("pk", "version")
    ]
    entries += [
        ("crfs.LesionMeasurement", pk, v)
        for pk, v in LesionMeasurement.objects.filter(lesion__patient=patient).values_list(
            "pk", "version"
        )
    ]
    text = "\n".join(f"{label}:{pk}:{version}" for label, pk, version in sorted(entries))
    return hashlib.sha256(text.encode()).hexdigest(), len(entries)


def _mark(actor: Any, form: FormRecord, kind: str) -> FormMark:
    return audit.create(
        FormMark(
            patient=form.patient,
            form_model=form._meta.label,
            form_pk=form.pk,
            kind=kind,
            form_version=form.version,
            by=audit.actor_name(actor),
            at=timezone.now(),
        ),
        actor=actor,
        action=f"review.{kind}.marked",
    )


def latest_mark(form: FormRecord, kind: str) -> FormMark | None:
    return (
        FormMark.objects.filter(form_model=form._meta.label, form_pk=form.pk, kind=kind)
        .order_by("-at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class MarkStatus:
    """Whether a form is verified (or reviewed), and if a later change undid it."""

    kind: str
    marked: bool
    valid: bool
    by: str = ""
    at: str = ""
    marked_version: int | None = None
    current_version: int | None = None

    def describe(self) -> str:
        if not self.marked:
            return "not yet"
        if self.valid:
            return f"by {self.by} at {self.at}"
        return (
            f"invalidated: changed after {self.by}'s mark "
            f"(version {self.marked_version}, now {self.current_version})"
        )


def mark_status(form: FormRecord, kind: str) -> MarkStatus:
    mark = latest_mark(form, kind)
    if mark is None:
        return MarkStatus(kind, False, False, current_version=form.version)
    return MarkStatus(
        kind,
        True,
        mark.form_version == form.version,
        mark.by,
        mark.at.isoformat(),
        mark.form_version,
        form.version,
    )


@transaction.atomic
def verify_source(actor: Any, form: FormRecord) -> FormMark:
    """A monitor marks a form as verified against the source documents."""
    access.require(actor, Capability.VERIFY_SOURCE, form.patient.centre_id)
    if mark_status(form, FormMark.Kind.SDV).valid:
        raise WorkflowError(f"{form.FORM_CODE} form #{form.pk} is verified already")
    return _mark(actor, form, FormMark.Kind.SDV)


@transaction.atomic
def review_form(actor: Any, form: FormRecord) -> FormMark:
    """A data manager marks a form as reviewed (the stage before it is frozen)."""
    access.require(actor, Capability.REVIEW, form.patient.centre_id)
    if mark_status(form, FormMark.Kind.REVIEW).valid:
        raise WorkflowError(f"{form.FORM_CODE} form #{form.pk} is reviewed already")
    return _mark(actor, form, FormMark.Kind.REVIEW)


def full_sdv_forms() -> set[str]:
    """The form codes the monitor's plan marks for 100% SDV."""
    codes = set(DEFAULT_FULL_SDV)
    for code, full in SdvPlanEntry.objects.values_list("form_code", "full_sdv"):
        (codes.add if full else codes.discard)(code)
    return codes


@transaction.atomic
def set_sdv_plan(actor: Any, form_code: str, full_sdv: bool) -> SdvPlanEntry:
    access.require(actor, Capability.VERIFY_SOURCE)
    return set_form_switch(
        actor, SdvPlanEntry, form_code, "full_sdv", full_sdv, action="review.sdv_plan.set"
    )


@dataclass(frozen=True)
class SdvProgress:
    centre: str
    required: int
    verified: int
    invalidated: int

    @property
    def percent(self) -> float:
        return 100.0 * self.verified / self.required if self.required else 100.0


def sdv_progress(user: Any) -> list[SdvProgress]:
    """Per centre in scope: forms needing SDV, verified (still valid), invalidated."""
    plan = full_sdv_forms()
    counts: dict[str, list[int]] = {}
    marks = {
        (m.form_model, m.form_pk): m.form_version
        for m in FormMark.objects.filter(kind=FormMark.Kind.SDV).order_by("at", "pk")
    }
    for code in sorted(plan):
        model = FORMS[code]
        rows = access.scope(model.objects.all(), user, Capability.VIEW_PATIENTS, "patient__centre")
        for centre, pk, version in rows.values_list("patient__centre__code", "pk", "version"):
            tally = counts.setdefault(centre, [0, 0, 0])
            tally[0] += 1
            marked = marks.get((model._meta.label, pk))
            if marked == version:
                tally[1] += 1
            elif marked is not None:
                tally[2] += 1
    return [SdvProgress(c, *counts[c]) for c in sorted(counts)]


@dataclass(frozen=True)
class SignatureStatus:
    signed: bool
    valid: bool
    signature: Signature | None = None

    def describe(self) -> str:
        if not self.signed or self.signature is None:
            return "not signed"
        s = self.signature
        when = s.signed_at.isoformat(timespec="minutes")
        if self.valid:
            return f"signed by {s.printed_name} ({s.signer}) at {when}"
        return f"signature of {s.printed_name} at {when} invalidated: the casebook changed since"


def signature_status(patient: Patient) -> SignatureStatus:
    signature = Signature.objects.filter(patient=patient).order_by("-signed_at", "-pk").first()
    if signature is None:
        return SignatureStatus(False, False)
    digest, _ = casebook_digest(patient)
    return SignatureStatus(True, digest == signature.casebook_digest, signature)


def sign_casebook(actor: Any, patient: Patient, *, password: str, otp: str = "") -> Signature:
    """The investigator signs the casebook after re-entering the password (21 CFR 11.200).

    The signature shows and stores the printed name, the date and time, and the meaning
    (21 CFR 11.50); it covers exactly the casebook's current form versions. A failed
    re-authentication is audited in its own transaction, so the refusal itself is kept.
    """
    access.require(actor, Capability.SIGN, patient.centre_id)
    account = Account.objects.filter(user=actor).first()
    second_factor_fails = bool(account and account.two_factor) and not (
        sites_services.check_second_factor(actor, otp)
    )
    if not actor.check_password(password) or second_factor_fails:
        audit.append(
            "review.signature.refused",
            actor=actor,
            patient=patient.code,
            centre=patient.centre.code,
            data={"why": "wrong authenticator code" if second_factor_fails else "wrong password"},
        )
        what = "authenticator code" if second_factor_fails else "password"
        raise PermissionRefused(f"the {what} is not correct; the casebook was not signed")
    return _sign(actor, patient)


@transaction.atomic
def _sign(actor: Any, patient: Patient) -> Signature:
    digest, count = casebook_digest(patient)
    if count == 0:
        raise WorkflowError(f"the casebook of {patient.code} has no forms to sign")
    if signature_status(patient).valid:
        raise WorkflowError(f"the casebook of {patient.code} is signed already and unchanged")
    account = Account.objects.filter(user=actor).first()
    printed = (account.printed_name if account else "") or actor.get_full_name() or actor.username
    return audit.create(
        Signature(
            patient=patient,
            signer=actor.get_username(),
            printed_name=printed,
            signed_at=timezone.now(),
            meaning=SIGNATURE_MEANING,
            casebook_digest=digest,
            forms_signed=count,
        ),
        actor=actor,
        action="review.casebook.signed",
    )
