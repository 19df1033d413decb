"""The OpenAPI schema: generated without warnings, one typed set of paths per eCRF model."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from ramunet.edc.api.forms import form_models, value_fields
from ramunet.edc.crfs.models import FORMS, FormRecord


@pytest.fixture(scope="module")
def schema():
    """Generated once: the schema needs no database row."""
    GENERATOR_STATS.reset()
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_generates_without_warnings_or_errors(schema):
    assert (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)) == ({}, {})


def test_form_discovery_finds_every_ecrf_model():
    assert {model.FORM_CODE for model in form_models()} == set(FORMS)


def test_form_discovery_finds_every_formrecord_subclass():
    def concrete(cls):
        for sub in cls.__subclasses__():
            if not sub._meta.abstract:
                yield sub
            yield from concrete(sub)

    assert set(concrete(FormRecord)) == set(form_models())


@pytest.mark.parametrize(
    "model", [m for m in form_models() if not m.SERVICE], ids=lambda m: m.FORM_CODE
)
def test_every_form_has_its_list_detail_and_history_paths(schema, model):
    base = f"/api/v1/patients/{{patient_code}}/forms/{model.FORM_CODE}/"
    paths = schema["paths"]
    assert set(paths[base]) == {"get", "post"}
    assert set(paths[f"{base}{{form_id}}/"]) == {"get", "patch"}
    assert set(paths[f"{base}{{form_id}}/history/"]) == {"get"}


def test_tumour_forms_are_read_generically_and_written_by_their_own_paths(schema):
    base = "/api/v1/patients/{patient_code}/forms/TUMOUR/"
    tumour = "/api/v1/patients/{patient_code}/tumour/"
    paths = schema["paths"]
    assert set(paths[base]) == {"get"}
    assert set(paths[f"{base}{{form_id}}/"]) == {"get"}
    assert set(paths[tumour]) == {"get"}
    assert set(paths[f"{tumour}baseline/"]) == {"post"}
    assert set(paths[f"{tumour}followups/"]) == {"post"}
    assert set(paths[f"{tumour}{{assessment_id}}/"]) == {"patch"}


@pytest.mark.parametrize("model", form_models(), ids=lambda m: m.FORM_CODE)
def test_every_form_schema_names_its_value_fields(schema, model):
    values = schema["components"]["schemas"][f"{model.__name__}Values"]
    assert list(values["properties"]) == value_fields(model)


def test_lab_value_is_typed_as_a_decimal_string_with_its_unit(schema):
    values = schema["components"]["schemas"]["HaematologyValues"]["properties"]
    assert values["anc"]["type"] == "string"
    assert values["anc"]["format"] == "decimal"
    assert values["anc_unit"]["maxLength"] == 12


def test_form_change_takes_expected_version_reason_and_values(schema):
    patch = schema["paths"]["/api/v1/patients/{patient_code}/forms/HAEM/{form_id}/"]["patch"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(body["properties"]) == {"expected_version", "reason", "visit", "values"}
    assert set(patch["responses"]) == {"200", "400", "403", "404", "409", "423"}


def test_conflict_response_shows_the_other_persons_change(schema):
    conflict = schema["components"]["schemas"]["ConflictChange"]["properties"]
    assert set(conflict) == {"by", "at", "changes"}


def test_swagger_page_is_served(db):
    assert APIClient().get("/api/v1/docs/").status_code == 200
