"""Close-out: each centre's own data for its archive (ICH E6(R3) 4.9.4, record retention).

For every patient of the centre, a casebook PDF with each form's values (missing codes shown
as such), its derived values, its SDV and review status, the investigator's signature, the
queries, and the patient's audit trail; plus a manifest with each file's SHA-256 and the audit
chain's head, so the archive can later be checked against the sponsor's database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from ramunet import __version__
from ramunet.edc.audit import review as trail
from ramunet.edc.audit.services import chain_head
from ramunet.edc.crfs.models import FormRecord
from ramunet.edc.queries.models import Query
from ramunet.edc.review import services as review
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability

HIDDEN = {"id", "patient", "visit", "missing", "derived", "frozen", "version"}


@dataclass(frozen=True)
class Archive:
    centre: str
    folder: Path
    files: tuple[Path, ...]
    manifest: Path


def _value(form: FormRecord, name: str) -> str:
    code = (form.missing or {}).get(name)
    if code:
        return f"[{code}]"
    value = getattr(form, name)
    if value is None or value == "":
        return ""
    field = form._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(form, f"get_{name}_display")())
    return str(value)


def _form_block(form: FormRecord) -> dict[str, Any]:
    fields = [
        (str(f.verbose_name), _value(form, f.name))
        for f in form._meta.concrete_fields
        if f.name not in HIDDEN and not f.name.endswith("_unit")
    ]
    return {
        "code": form.FORM_CODE,
        "title": str(form._meta.verbose_name).capitalize(),
        "form": form,
        "fields": [(k, v) for k, v in fields if v != ""],
        "derived": json.dumps(
            {k: v for k, v in (form.derived or {}).items() if not k.startswith("_")}, indent=1
        )
        if form.derived
        else "",
        "sdv": review.mark_status(form, "sdv").describe(),
        "reviewed": review.mark_status(form, "review").describe(),
    }


def casebook_html(user: Any, patient: Patient) -> str:
    forms = sorted(review.patient_forms(patient), key=lambda f: (f.form_date, f.FORM_CODE, f.pk))
    audit_rows = list(trail.rows(user, trail.TrailFilter(patient=patient.code)))
    return render_to_string(
        "ramunet/closeout/casebook.html",
        {
            "patient": patient,
            "forms": [_form_block(f) for f in forms],
            "signature": review.signature_status(patient).describe(),
            "queries": Query.objects.filter(patient=patient).prefetch_related("messages"),
            "audit": audit_rows,
            "generated": timezone.now(),
            "software": f"ramunet {__version__}",
        },
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def centre_archive(
    user: Any, centre: Centre, folder: Path, patients: Iterable[Patient] | None = None
) -> Archive:
    """Write the centre's casebook PDFs and a manifest into ``folder``/<centre code>/."""
    from weasyprint import HTML

    access.require(user, Capability.VIEW_PATIENTS, centre)
    access.require(user, Capability.VIEW_AUDIT, centre)
    target = folder / centre.code
    target.mkdir(parents=True, exist_ok=True)
    chosen = patients if patients is not None else Patient.objects.filter(centre=centre)
    files = []
    for patient in chosen:
        if patient.centre_id != centre.pk:
            continue
        path = target / f"{patient.code}-casebook.pdf"
        HTML(string=casebook_html(user, patient)).write_pdf(path)
        files.append(path)
    head = chain_head()
    manifest = target / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "centre": centre.code,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "software": f"ramunet {__version__}",
                "audit_seq": head[0],
                "audit_hash": head[1],
                "files": {p.name: _sha256(p) for p in files},
            },
            indent=2,
        )
    )
    return Archive(centre.code, target, tuple(files), manifest)
