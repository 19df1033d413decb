"""Downloads for data managers and biometricians: the analysis tables and the transfer package
(``ramunet.edc.exporting``: a biometrician only after the database lock, a data manager a DRAFT
before it), and the audit trail and the query log as CSV, streamed row by row (flat memory
however large the study; formulas escaped, OWASP)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput, PermissionRefused
from ramunet.edc.audit import review as trail
from ramunet.edc.audit import services as audit
from ramunet.edc.exporting import package
from ramunet.edc.oversight.guards import FORM_CODES, oversight_view
from ramunet.edc.queries.models import QueryMessage
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.exports.csvsafe import csv_lines

QUERY_LOG_COLUMNS = (
    "query",
    "patient",
    "centre",
    "form",
    "form_pk",
    "field",
    "origin",
    "rule",
    "status",
    "raised_by",
    "raised_at",
    "closed_at",
    "step",
    "author",
    "at",
    "text",
)


def query_log_rows(user: Any) -> Iterator[tuple[Any, ...]]:
    """One row per message of every query in scope, oldest query first (one query, streamed)."""
    messages = access.scope(
        QueryMessage.objects.all(), user, Capability.VIEW_PATIENTS, "query__patient__centre"
    )
    for row in (
        messages.order_by("query_id", "at", "id")
        .values_list(
            "query_id",
            "query__patient__code",
            "query__patient__centre__code",
            "query__form_model",
            "query__form_pk",
            "query__field",
            "query__origin",
            "query__rule",
            "query__status",
            "query__raised_by",
            "query__raised_at",
            "query__closed_at",
            "kind",
            "author",
            "at",
            "text",
        )
        .iterator(chunk_size=5000)
    ):
        values = list(row)
        values[3] = FORM_CODES.get(values[3], values[3])
        yield tuple(values)


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%dT%H%M%SZ")


def _download(lines: Iterator[str], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@oversight_view
def exports(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.EXPORT)
    try:
        grant = package.require_export(request.user)
    except PermissionRefused:
        grant, tables = None, []
    else:
        tables = package.table_names(request.user)
    context = {
        "can_audit": access.can(request.user, Capability.VIEW_AUDIT),
        "can_queries": access.can(request.user, Capability.VIEW_PATIENTS),
        "database_locked": audit.database_locked(),
        "grant": grant,
        "tables": tables,
    }
    return render(request, "ramunet/oversight/exports.html", context)


@oversight_view
def export_table(request: HttpRequest, name: str) -> HttpResponse:
    """One analysis table as streamed CSV (audited by the export service)."""
    try:
        lines = package.iter_table_csv(request.user, name)
    except InvalidInput as error:
        raise Http404(f"{error.field} {error.value!r}: {error.rule}") from None
    return _download(lines, f"ramunet-{name.replace('/', '-')}-{_stamp()}.csv")


@oversight_view
def export_package(request: HttpRequest) -> HttpResponse:
    """POST: the whole transfer package (ODM, SDTM, tidy tables, dictionary) as one zip."""
    if request.method != "POST":
        return redirect("oversight:exports")
    package.require_export(request.user)
    folder = Path(tempfile.mkdtemp(prefix="ramunet-package-"))
    target = folder / f"ramunet-transfer-{_stamp()}.zip"
    package.write_transfer_package(request.user, target)
    handle = target.open("rb")
    target.unlink()  # the open handle keeps the data until the response is sent
    folder.rmdir()
    return FileResponse(handle, as_attachment=True, filename=target.name)


@oversight_view
def export_audit(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.EXPORT)
    access.require(request.user, Capability.VIEW_AUDIT)
    return _download(trail.export_csv(request.user), f"ramunet-audit-trail-{_stamp()}.csv")


@oversight_view
def export_queries(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.EXPORT)
    access.require(request.user, Capability.VIEW_PATIENTS)
    lines = csv_lines(QUERY_LOG_COLUMNS, query_log_rows(request.user))
    return _download(lines, f"ramunet-query-log-{_stamp()}.csv")
