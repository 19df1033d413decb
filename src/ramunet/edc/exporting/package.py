"""The transfer package after the database lock, and the per-table exports the pages call.

``write_transfer_package(actor, target)`` writes one zip::

    README.txt                     what is inside, final or DRAFT, how to read it
    odm/ramunet.xml                CDISC ODM 1.3.2, metadata and clinical data, with audit
                                   records and signatures
    sdtm/xpt/<domain>.xpt          SDTM DM DS EX SUPPEX AE SUPPAE CM MH LB VS QS TU TR RS and ADSL
    sdtm/csv/<domain>.csv          the same as CSV
    tidy/<table>.csv               one table per form and the other tidy tables
    tidy/columns.csv               every column's type, unit and label
    trail/<table>.csv              audit trail (records and their changed fields), query log,
                                   query messages, SDV, signatures
    dictionary/data_dictionary.{html,csv}
    protocol/protocol.json         the protocol version and readings the system implements
    manifest.json                  SHA-256 of every file, the audit chain head, who, when

Only data managers and biometricians export (``permission.require_export``); patients appear
under their pseudonymous IDs only. The export itself is recorded in the audit trail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Collection, Iterator
from typing import Any, Final

from django.utils import timezone

from ramunet import __version__
from ramunet.clinical.errors import InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.exporting.catalogue import form_specs, part_specs
from ramunet.edc.exporting.odm_export import write_odm
from ramunet.edc.exporting.parallel import write_steps
from ramunet.edc.exporting.permission import ExportGrant, require_export
from ramunet.edc.exporting.sdtm import sdtm_domains, write_domain
from ramunet.edc.exporting.tidy import tidy_tables
from ramunet.edc.screening.models import Patient
from ramunet.exports.dictionary import dictionary_csv_lines, dictionary_html
from ramunet.exports.package import Manifest, PackageWriter, package_writer
from ramunet.exports.sdtm_model import domain_table
from ramunet.exports.tables import Table, columns_csv_lines, table_csv_blocks, table_csv_lines
from ramunet.protocol.study import PROTOCOL

TRAIL_TABLES: Final = frozenset(
    {"audit_records", "audit_changes", "queries", "query_messages", "sdv_status", "signatures"}
)
WHAT: Final = ("package", "odm", "sdtm", "tidy", "dictionary")

PARTS: Final = ("odm", "sdtm", "tidy", "dictionary")
#: called with the name of the part starting, its number and the number of parts
Progress = Callable[[str, int, int], None]


def _folder(table: Table) -> str:
    return "trail" if table.name in TRAIL_TABLES else "tidy"


def table_names(actor: Any) -> list[str]:
    """The tables ``iter_table_csv`` serves (``tidy/...``, ``trail/...``, ``sdtm/...``)."""
    require_export(actor)
    names = [f"{_folder(t)}/{t.name}" for t in tidy_tables()]
    return names + [f"sdtm/{d.name.lower()}" for d in sdtm_domains()]


def _table(name: str) -> Table:
    for table in tidy_tables():
        if f"{_folder(table)}/{table.name}" == name:
            return table
    for domain in sdtm_domains():
        if f"sdtm/{domain.name.lower()}" == name:
            return domain_table(domain)
    raise InvalidInput("table", "not an export table; see table_names()", name)


def iter_table_csv(actor: Any, name: str) -> Iterator[str]:
    """One table as CSV lines, streamed (for a ``StreamingHttpResponse``); audited."""
    grant = require_export(actor)
    table = _table(name)
    audit.append("export.table", actor=actor, data={"table": name, "status": grant.status})
    return table_csv_lines(table)


def _protocol_json() -> str:
    data = {
        "title": PROTOCOL.title,
        "eudract": PROTOCOL.eudract,
        "version": PROTOCOL.version,
        "design": dataclasses.asdict(PROTOCOL.design),
        "errata": [dataclasses.asdict(item) for item in PROTOCOL.errata],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _readme(grant: ExportGrant, created: dt.datetime) -> str:
    return f"""RamuNET transfer package
created {created.isoformat()} by {grant.username}; data status: {grant.status}
software: ramunet {__version__}; protocol version {PROTOCOL.version}

odm/ramunet.xml        CDISC ODM 1.3.2 (metadata + clinical data, audit records, signatures)
sdtm/xpt/*.xpt         SAS transport v5: SAS  libname x xport 'dm.xpt'; proc copy in=x out=work;
                       R  foreign::read.xport("dm.xpt") or haven::read_xpt("dm.xpt")
                       Python  pyreadstat.read_xport("dm.xpt", encoding="utf-8")
sdtm/csv/*.csv         the same datasets as CSV (UTF-8, RFC 4180)
tidy/*.csv             one table per form; tidy/columns.csv gives each column's type and unit
                       missing_values.csv: ND/UNK/NA codes (an empty cell without one:
                       not answered)
trail/*.csv            audit trail: audit_records (one row per write) and audit_changes
                       (one row per changed field; join on seq); query log, SDV, signatures
dictionary/            every field: label, type, unit, allowed values, edit checks
manifest.json          SHA-256 of every file and the audit chain head at export
Text cells starting with = + - @ carry a leading ' (spreadsheet formula protection).
"""


def _steps(parts: Collection[str], audit_records: bool) -> list[tuple[str, Callable[..., Any]]]:
    """The package's parts in order, each as (name, writer of that part)."""
    steps: list[tuple[str, Callable[..., Any]]] = []
    if "odm" in parts:

        def odm(package: PackageWriter, created: dt.datetime, facts: dict[str, Any]) -> None:
            with package.open("odm/ramunet.xml") as out:
                facts["odm_subjects"] = write_odm(
                    out, audit=audit_records, created=created
                ).subjects

        steps.append(("odm", odm))
    if "sdtm" in parts:
        for domain in sdtm_domains():

            def sdtm(
                package: PackageWriter,
                created: dt.datetime,
                facts: dict[str, Any],
                domain: Any = domain,
            ) -> None:
                rows = write_domain(package, domain, "sdtm", created)
                facts.setdefault("sdtm_rows", {})[domain.name] = rows

            steps.append((f"sdtm {domain.name}", sdtm))
    if "tidy" in parts:
        tables = tidy_tables()
        for table in tables:

            def tidy(
                package: PackageWriter,
                created: dt.datetime,
                facts: dict[str, Any],
                table: Table = table,
            ) -> None:
                package.add_lines(f"{_folder(table)}/{table.name}.csv", table_csv_blocks(table))

            steps.append((f"{_folder(table)} {table.name}", tidy))

        def codebook(package: PackageWriter, created: dt.datetime, facts: dict[str, Any]) -> None:
            package.add_lines("tidy/columns.csv", columns_csv_lines(tables))

        steps.append(("tidy columns", codebook))
    if "dictionary" in parts:

        def dictionary(package: PackageWriter, created: dt.datetime, facts: dict[str, Any]) -> None:
            specs = [*form_specs(), *(p for parts in part_specs().values() for p in parts)]
            html = dictionary_html(specs).encode("utf-8")
            package.add_bytes("dictionary/data_dictionary.html", html)
            package.add_lines("dictionary/data_dictionary.csv", dictionary_csv_lines(specs))
            package.add_bytes("protocol/protocol.json", _protocol_json().encode("utf-8"))

        steps.append(("dictionary", dictionary))
    return steps


def write_transfer_package(
    actor: Any,
    target: str | os.PathLike[str],
    *,
    parts: Collection[str] = PARTS,
    audit_records: bool = True,
    progress: Progress | None = None,
    workers: int = 1,
) -> Manifest:
    """Write the transfer package to ``target`` as ``actor``: a zip for a ``.zip`` path,
    else the same files in that directory; ``parts`` narrows it (``odm``, ``sdtm``,
    ``tidy``, ``dictionary``). With ``workers`` above 1 the parts are written by that many
    processes at once (``parallel.write_steps``; the same files in the same order).

    Raises ``PermissionRefused`` unless ``actor`` may export (a biometrician only after the
    database lock), ``InvalidInput`` for an unknown part or a value the SAS transport format
    cannot hold (naming the dataset, the variable and the row; nothing is truncated).
    """
    grant = require_export(actor)
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise InvalidInput("parts", f"expected some of {', '.join(PARTS)}", unknown[0])
    created = timezone.now()
    head_seq, head_hash = audit.chain_head()
    facts: dict[str, Any] = {
        "study": "RAMUNET",
        "created": created.isoformat(),
        "exported_by": grant.username,
        "status": grant.status,
        "final": grant.final,
        "software": f"ramunet {__version__}",
        "protocol_version": PROTOCOL.version,
        "patients": Patient.objects.count(),
        "parts": [part for part in PARTS if part in parts],
        "audit_head": {"seq": head_seq, "hash": head_hash},
    }
    steps = _steps(parts, audit_records)
    with package_writer(target) as package:
        package.add_bytes("README.txt", _readme(grant, created).encode("utf-8"))
        write_steps(package, steps, created, facts, workers=workers, progress=progress)
        manifest = package.finish(facts)
    audit.append(
        "export.package",
        actor=actor,
        data={
            "target": os.path.basename(os.fspath(target)),
            "files": len(manifest.entries),
            "status": grant.status,
            "audit_head": head_seq,
        },
    )
    return manifest
