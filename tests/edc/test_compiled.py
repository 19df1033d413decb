"""Hot reads compiled once per connection (``ramunet.edc.compiled``) and their users: the
API's token authentication with the person's grants, the patient look-up, the reference
ranges of a lab form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ramunet.edc.audit import services as audit
from ramunet.edc.compiled import CompiledQuery
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import context_for
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import services as site_services
from ramunet.edc.sites.models import Centre, ReferenceRange
from tests.factories import make_patient, make_person

DAY = dt.date(2026, 2, 1)


def test_compiled_objects_are_the_querysets_objects_with_their_relations(centre_a):
    make_patient(centre_a, sequence=1)
    make_patient(centre_a, sequence=2)
    query: CompiledQuery[Patient] = CompiledQuery(
        lambda code: Patient.objects.select_related("centre", "screening").filter(code=code),
        "HAL-000",
    )
    for code in ("HAL-001", "HAL-002"):
        expected = Patient.objects.select_related("centre", "screening").get(code=code)
        [found] = query.objects(code)
        assert type(found) is Patient
        assert {f.attname: getattr(found, f.attname) for f in Patient._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Patient._meta.concrete_fields
        }
        with CaptureQueriesContext(connection) as read:
            assert found.centre.code == "HAL"  # read with the patient: no query
            assert found.screening.pk == expected.screening.pk
        assert len(read.captured_queries) == 0
        assert not found._state.adding and found._state.db == "default"
    assert query.objects("HAL-999") == []


def test_compiled_rows_are_converted_as_the_orm_converts_them(centre_a):
    site_services.add_reference_range(
        "system", centre_a, analyte="anc", unit="10^9/L", lln=Decimal("1.8"),
        uln=Decimal("7.5"), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    columns = ("analyte", "lln", "uln", "valid_from", "valid_to")
    query: CompiledQuery[ReferenceRange] = CompiledQuery(
        lambda centre_id: ReferenceRange.objects.filter(centre_id=centre_id).values_list(*columns),
        0,
    )
    rows = query.rows(centre_a.pk)
    assert rows == [("anc", Decimal("1.8"), Decimal("7.5"), dt.date(2019, 1, 1), None)]
    assert rows == list(ReferenceRange.objects.filter(centre=centre_a).values_list(*columns))
    assert isinstance(rows[0][1], Decimal) and isinstance(rows[0][3], dt.date)


def test_query_is_built_once_per_connection_and_then_only_run(centre_a, centre_b):
    built: list[str] = []

    def build(code: str):
        built.append(code)
        return Centre.objects.filter(code=code).values_list("name", flat=True)

    query: CompiledQuery[Centre] = CompiledQuery(build, "XXX")
    assert query.rows(centre_a.code) == [(centre_a.name,)]
    with CaptureQueriesContext(connection) as run:
        assert query.rows(centre_b.code) == [(centre_b.name,)]
    assert built == ["XXX"]  # compiled from the example once, not for each code
    assert len(run.captured_queries) == 1


def test_converters_are_looked_up_once_per_connection_not_per_read(centre_a, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    looked_up: list[int] = []
    original = SQLCompiler.get_converters

    def counted(self, expressions):
        looked_up.append(len(expressions))
        return original(self, expressions)

    for sequence in (1, 2):
        make_patient(centre_a, sequence=sequence)
    monkeypatch.setattr(SQLCompiler, "get_converters", counted)
    query: CompiledQuery[Patient] = CompiledQuery(
        lambda code: Patient.objects.select_related("centre").filter(code=code), "HAL-000"
    )
    first, second = query.objects("HAL-001"), query.objects("HAL-002")
    assert len(looked_up) == 1
    monkeypatch.undo()
    expected = Patient.objects.get(code="HAL-002")
    assert second[0].registered_on == expected.registered_on  # converted to a date
    assert isinstance(second[0].registered_on, dt.date)
    assert isinstance(second[0].locked, bool)
    assert first[0].code == "HAL-001"


def test_queryset_whose_parameters_do_not_follow_the_example_is_refused(db):
    # Django orders keyword filters by name: ``name`` comes before ``code`` is not kept
    query: CompiledQuery[Centre] = CompiledQuery(
        lambda name, code: Centre.objects.filter(name=name, code=code), "Halle", "HAL"
    )
    with pytest.raises(AssertionError) as refused:
        query.objects("Halle", "HAL")
    assert str(refused.value) == (
        "compiled query: parameters ('HAL', 'Halle') are not the example ('Halle', 'HAL') "
        "in order; this queryset cannot be compiled once"
    )


def test_wrong_number_of_parameters_is_refused(centre_a):
    query: CompiledQuery[Centre] = CompiledQuery(
        lambda code: Centre.objects.filter(code=code), "XXX"
    )
    with pytest.raises(TypeError) as refused:
        query.objects("HAL", "KIE")
    assert str(refused.value) == "expected 1 parameters, got 2"


def test_rows_of_a_values_query_are_not_objects(centre_a):
    query: CompiledQuery[Centre] = CompiledQuery(
        lambda code: Centre.objects.filter(code=code).values_list("name"), "XXX"
    )
    with pytest.raises(TypeError):
        query.objects("HAL")


# -- the API's token authentication reads the person's grants with the token ---------------


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_token_grants_and_patient_take_two_queries(nurse_a, centre_a):
    make_patient(centre_a)
    client = token_client(nurse_a)
    with CaptureQueriesContext(connection) as read:
        assert client.get("/api/v1/patients/HAL-001/forms/HAEM/").status_code == 200
    sql = [q["sql"] for q in read.captured_queries]
    assert "ramunet_sites_membership" in sql[0] and "authtoken_token" in sql[0]
    assert not any("ramunet_sites_membership" in s for s in sql[1:])


def test_a_revoked_role_is_refused_at_the_next_request(data_manager, centre_a, centre_b):
    make_patient(centre_b)
    nurse = make_person("nurse.moving", "nurse", centre_a)
    membership = site_services.grant_role(data_manager, nurse, "nurse", centre_b)
    client = token_client(nurse)
    assert client.get("/api/v1/patients/MAR-001/forms/HAEM/").status_code == 200
    site_services.revoke_role(data_manager, membership, reason="moved back to Halle")
    assert client.get("/api/v1/patients/MAR-001/forms/HAEM/").status_code == 404


def test_a_person_without_any_role_authenticates_and_is_refused(data_manager, centre_a):
    make_patient(centre_a)
    nurse = make_person("nurse.leaving", "nurse", centre_a)
    client = token_client(nurse)
    [membership] = nurse.memberships.all()
    site_services.revoke_role(data_manager, membership, reason="left the trial")
    response = client.get("/api/v1/patients/HAL-001/forms/HAEM/")
    assert response.status_code == 403


def test_an_unknown_token_is_answered_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "f" * 40)
    response = client.get("/api/v1/centres/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


# -- the reference ranges a lab form is judged against -------------------------------------


def add_anc_range(centre, lln: str, valid_from: dt.date, valid_to: dt.date | None = None):
    made = site_services.add_reference_range(
        "system", centre, analyte="anc", unit="10^9/L", lln=Decimal(lln), uln=Decimal("7.5"),
        valid_from=valid_from,
    )  # fmt: skip
    if valid_to is not None:
        made = audit.update(
            made, {"valid_to": valid_to}, actor="system", expected_version=made.version,
            reason="the laboratory changed its method",
        )  # fmt: skip
    return made


def anc_lln(patient) -> Decimal | None:
    ranges = context_for(patient, Haematology, DAY).ranges
    return ranges["anc"].lln if "anc" in ranges else None


def test_a_range_starting_on_the_day_applies(centre_a):
    patient = make_patient(centre_a)
    add_anc_range(centre_a, "1.8", DAY)
    assert anc_lln(patient) == Decimal("1.8")


def test_a_range_starting_the_day_after_does_not_apply(centre_a):
    patient = make_patient(centre_a)
    add_anc_range(centre_a, "1.8", DAY + dt.timedelta(days=1))
    assert anc_lln(patient) is None


def test_a_range_ending_on_the_day_applies_and_one_ended_the_day_before_does_not(centre_a):
    patient = make_patient(centre_a)
    add_anc_range(centre_a, "1.8", dt.date(2019, 1, 1), valid_to=DAY - dt.timedelta(days=1))
    assert anc_lln(patient) is None
    add_anc_range(centre_a, "1.6", dt.date(2020, 1, 1), valid_to=DAY)
    assert anc_lln(patient) == Decimal("1.6")


def test_of_two_valid_ranges_the_later_start_applies(centre_a, centre_b):
    patient = make_patient(centre_a)
    add_anc_range(centre_a, "1.5", dt.date(2024, 1, 1))
    add_anc_range(centre_a, "1.8", dt.date(2019, 1, 1))
    add_anc_range(centre_b, "2.0", dt.date(2025, 1, 1))  # another centre's: not this one's
    assert anc_lln(patient) == Decimal("1.5")
