"""Exports: the audit trail and the query log, streamed CSV, by role."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.urls import reverse

from ramunet.edc.queries import services as queries


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def test_data_manager_downloads_the_audit_trail_as_streamed_csv(signed_in, data_manager, haem):
    response = signed_in(data_manager).get(reverse("oversight:export_audit"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ramunet-audit-trail-')
    lines = body(response).splitlines()
    assert (
        lines[0] == "seq,at,actor,action,model,object_pk,patient,centre,field,old,new,reason,hash"
    )
    assert any(",anc,,2.5," in line for line in lines)


def test_query_log_has_one_row_per_message_with_formulas_escaped(
    signed_in, data_manager, monitor, nurse_a, haem
):
    query = queries.raise_query(monitor, haem, "anc", "=SUM(A1:A9)")
    queries.answer_query(nurse_a, query, "checked")
    lines = body(signed_in(data_manager).get(reverse("oversight:export_queries"))).splitlines()
    assert lines[0].startswith("query,patient,centre,form,form_pk,field,")
    assert len(lines) == 3
    assert f"{query.pk},HAL-001,HAL,HAEM,{haem.pk},anc,manual" in lines[1]
    assert "'=SUM(A1:A9)" in lines[1]
    assert lines[2].endswith(",checked")


def test_biometrician_sees_no_analysis_data_before_the_database_lock(signed_in, biometrician):
    response = signed_in(biometrician).get(reverse("oversight:exports"))
    assert response.status_code == 200
    assert (response.context["can_audit"], response.context["can_queries"]) == (False, False)
    assert (response.context["grant"], response.context["tables"]) == (None, [])
    assert 'id="export-refusal"' in response.content.decode()


def test_biometrician_is_refused_a_table_before_the_lock(signed_in, biometrician):
    url = reverse("oversight:export_table", args=["trail/queries"])
    assert signed_in(biometrician).get(url).status_code == 403


def test_data_manager_sees_the_draft_tables(signed_in, data_manager):
    response = signed_in(data_manager).get(reverse("oversight:exports"))
    assert response.context["grant"].final is False
    assert "trail/queries" in response.context["tables"]
    assert "DRAFT (database not locked)" in response.content.decode()


def test_data_manager_downloads_one_table_streamed(signed_in, data_manager, haem):
    url = reverse("oversight:export_table", args=["tidy/form_haem"])
    response = signed_in(data_manager).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="ramunet-tidy-form_haem-'
    )
    assert len(body(response).splitlines()) == 2


def test_unknown_table_is_not_found(signed_in, data_manager):
    url = reverse("oversight:export_table", args=["tidy/nothing"])
    assert signed_in(data_manager).get(url).status_code == 404


def test_data_manager_downloads_the_transfer_package_as_zip(signed_in, data_manager, haem):
    import io
    import zipfile

    response = signed_in(data_manager).post(reverse("oversight:export_package"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ramunet-transfer-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert any(name.endswith(".csv") for name in archive.namelist())


def test_biometrician_is_refused_the_audit_trail(signed_in, biometrician):
    assert signed_in(biometrician).get(reverse("oversight:export_audit")).status_code == 403


def test_monitor_is_refused_exports(signed_in, monitor):
    client = signed_in(monitor)
    assert client.get(reverse("oversight:exports")).status_code == 403
    assert client.get(reverse("oversight:export_queries")).status_code == 403
