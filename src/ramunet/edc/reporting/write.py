"""``write_report``: who may write the analysis report, and the report with its manifest.

The biometrician writes it after the database lock (PROTOCOL-NOTES.md "Data management":
database close, then transfer to the biometrician); the data manager and the sponsor/PI may
write it at any time, marked DRAFT on every page while the database is unlocked. Everyone
else is refused. Writing it is recorded in the audit trail with the snapshot hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ramunet import __version__
from ramunet.clinical.errors import LockedError, PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.reporting.dataset import load_dataset
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import CAPABILITIES, Capability, Role
from ramunet.protocol.study import PROTOCOL
from ramunet.report.build import BuiltReport, Progress, build_report

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class ReportManifest:
    """Where the report is and what it was computed from."""

    folder: Path
    html: Path
    pdf: Path
    manifest: Path
    snapshot_sha256: str
    audit_seq: int
    audit_head_hash: str
    software_version: str
    protocol_version: str
    locked: bool
    seconds: tuple[tuple[str, float], ...]

    @property
    def status(self) -> str:
        return "final" if self.locked else "draft"


def check_may_write(actor: Any, locked: bool) -> None:
    """Refuse unless ``actor`` may write the report now (``None`` is the system).

    Raises
    ------
    PermissionRefused
        Without the ``report`` capability, or a biometrician (and no other role that grants
        it) before the database lock.
    """
    if actor is None:
        return
    access.require(actor, Capability.REPORT)
    granting = {role for role in access.roles(actor) if Capability.REPORT in CAPABILITIES[role]}
    if not locked and granting == {Role.BIOMETRICIAN}:
        who = getattr(actor, "username", "anonymous")
        raise PermissionRefused(
            f"{who} (biometrician) may write the report only after the database lock; "
            "the data manager or the sponsor may write a draft before it"
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(
    built: BuiltReport, folder: Path, actor: str, seconds: tuple[tuple[str, float], ...]
) -> dict[str, Any]:
    locked = built.results.locked
    files = [built.html, built.pdf, built.sae_listing, *built.figures, *built.tables]
    return {
        "report": "RamuNET analysis report",
        "status": "final" if locked else "draft",
        "database_locked": locked,
        "snapshot_sha256": built.provenance.snapshot_sha256,
        "audit_seq": built.provenance.audit_seq,
        "audit_head_hash": built.provenance.audit_head_hash,
        "software": f"ramunet {built.provenance.software_version}",
        "protocol_version": built.provenance.protocol_version,
        "written_by": actor,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": dict(seconds),
        "files": {str(p.relative_to(folder)): _sha256(p) for p in files},
    }


def write_report(
    out_dir: str | Path,
    *,
    actor: Any = None,
    draft_ok: bool = True,
    progress: Progress | None = None,
) -> ReportManifest:
    """Load the trial, write the report into ``out_dir`` and audit it.

    Parameters
    ----------
    out_dir
        The report's folder: index.html, report.pdf, figures/, tables/, sae_listing.csv and
        manifest.json.
    actor
        The person writing it (checked with ``check_may_write``), or None for the system
        (the demo).
    draft_ok
        False refuses to write from an unlocked database instead of writing a draft.
    progress
        Called with a short text after each step.

    Raises
    ------
    PermissionRefused
        The person may not write the report (now).
    LockedError
        ``draft_ok`` is False and the database is not locked.
    """
    locked = audit.database_locked()
    check_may_write(actor, locked)
    if not locked and not draft_ok:
        raise LockedError("the database is not locked; lock it first or allow a draft report")
    started = time.perf_counter()
    dataset = load_dataset()
    loaded = ("load", round(time.perf_counter() - started, 4))
    if progress:
        progress("load")
    folder = Path(out_dir)
    built = build_report(
        dataset,
        folder,
        software_version=__version__,
        protocol_version=PROTOCOL.version,
        progress=progress,
    )
    seconds = (loaded, *built.seconds)
    name = audit.actor_name(actor if actor is not None else "system")
    manifest = folder / MANIFEST_NAME
    manifest.write_text(
        json.dumps(_manifest(built, folder, name, seconds), indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    audit.append(
        "report.written",
        actor=actor if actor is not None else "system",
        data={
            "snapshot_sha256": built.provenance.snapshot_sha256,
            "status": "final" if dataset.locked else "draft",
            "pdf_sha256": _sha256(built.pdf),
        },
    )
    return ReportManifest(
        folder=folder,
        html=built.html,
        pdf=built.pdf,
        manifest=manifest,
        snapshot_sha256=built.provenance.snapshot_sha256,
        audit_seq=built.provenance.audit_seq,
        audit_head_hash=built.provenance.audit_head_hash,
        software_version=__version__,
        protocol_version=PROTOCOL.version,
        locked=dataset.locked,
        seconds=seconds,
    )
