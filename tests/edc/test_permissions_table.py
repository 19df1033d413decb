"""Every role against every API endpoint, at its own centre and at another: the exact status.

The target patient is ``HAL-001`` (centre A, Halle). For the site roles of Halle (investigator,
nurse) it is their own centre; for Marburg's investigator it is another centre, answered 404
exactly as a patient that does not exist (its existence is not revealed). Study-wide roles see
every centre or none. A role lacking the capability gets 403; no credentials, 401.

Logging a candidate names the centre in the body rather than in the URL, so another centre is
refused with 403 (centre codes are no secret: every patient code starts with one).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.crfs.tumour import save_baseline_assessment
from ramunet.edc.visits import services as visits
from tests.factories import make_patient, make_screened, screening_payload

P = "/api/v1/patients/HAL-001"

# persona: investigator_a, nurse_a (Halle), investigator_b (Marburg), monitor, data_manager,
# biometrician, sponsor, anonymous
PERSONAS = (
    "investigator_a", "nurse_a", "investigator_b", "monitor", "data_manager", "biometrician",
    "sponsor", "anonymous",
)  # fmt: skip

# endpoint: (method, path, body, statuses in PERSONAS order)
TABLE = {
    "centres": ("get", "/api/v1/centres/", None, (200, 200, 200, 200, 200, 200, 200, 401)),
    "patients": ("get", "/api/v1/patients/", None, (200, 200, 200, 200, 200, 403, 403, 401)),
    "patient": ("get", f"{P}/", None, (200, 200, 404, 200, 200, 403, 403, 401)),
    "visits": ("get", f"{P}/visits/", None, (200, 200, 404, 200, 200, 403, 403, 401)),
    "unscheduled visit": (
        "post",
        f"{P}/visits/unscheduled/",
        {"date": "2026-01-30", "reason": "fever", "forms": ["HAEM"]},
        (201, 201, 404, 403, 403, 403, 403, 401),
    ),
    "forms of a code": ("get", f"{P}/forms/HAEM/", None, (200, 200, 404, 200, 200, 403, 403, 401)),
    "create form": (
        "post",
        f"{P}/forms/HAEM/",
        {"values": {"form_date": "2026-01-26", "anc": "2.0"}},
        (201, 201, 404, 403, 403, 403, 403, 401),
    ),
    "form": ("get", f"{P}/forms/HAEM/{{form}}/", None, (200, 200, 404, 200, 200, 403, 403, 401)),
    "change form": (
        "patch",
        f"{P}/forms/HAEM/{{form}}/",
        {"expected_version": 1, "reason": "typo", "values": {"anc": "2.2"}},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "form audit trail": (
        "get",
        f"{P}/forms/HAEM/{{form}}/history/",
        None,
        (200, 200, 404, 200, 200, 403, 403, 401),
    ),
    "discrepancies": (
        "get", "/api/v1/discrepancies/", None, (200, 200, 200, 200, 200, 403, 403, 401)
    ),
    "screening log": ("get", "/api/v1/screening/", None, (200, 200, 200, 200, 200, 403, 403, 401)),
    "log candidate": (
        "post",
        "/api/v1/screening/",
        {"centre": "HAL", "screened_on": "2026-01-30", "year_of_birth": 1960, "sex": "male"},
        (201, 201, 403, 403, 403, 403, 403, 401),
    ),
    "screening entry": (
        "get", "/api/v1/screening/{entry}/", None, (200, 200, 404, 200, 200, 403, 403, 401)
    ),
    "screening data": (
        "put",
        "/api/v1/screening/{entry}/data/",
        lambda world: {
            "data": screening_payload(),
            "expected_version": world["entry_version"],
            "reason": "consent date corrected",
        },
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "register": (
        "post",
        "/api/v1/screening/{entry}/register/",
        {"consent_date": "2026-03-02", "planned_first_dose": "2026-03-16",
         "attestations_confirmed": True, "registered_on": "2026-03-09"},
        (201, 403, 404, 403, 403, 403, 403, 401),
    ),
    "screening failure": (
        "post",
        "/api/v1/screening/{entry}/failure/",
        {"reasons": ["declined participation"]},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "withdrawal": (
        "post",
        "/api/v1/screening/{entry}/withdrawal/",
        {"reason": "moved away"},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "enrolment override": (
        "post",
        "/api/v1/screening/{entry}/enrolment-override/",
        {"reason": "DSMB approved"},
        (403, 403, 404, 403, 200, 403, 403, 401),
    ),
    "enrolment": (
        "get", "/api/v1/study/enrolment/", None, (200, 200, 200, 200, 200, 200, 200, 401)
    ),
    "change enrolment": (
        "patch",
        "/api/v1/study/enrolment/",
        {"expected_version": 1, "reason": "amendment 2", "enrolment_target": 50},
        (403, 403, 403, 403, 200, 403, 403, 401),
    ),
    "record visit": (
        "post",
        f"{P}/visits/C1D15/record/",
        {"actual_date": "2026-02-01"},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "delay visit": (
        "post",
        f"{P}/visits/C1D15/delay/",
        {"new_date": "2026-02-05", "reason": "patient travelling"},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "missed visit": (
        "post",
        f"{P}/visits/C1D15/missed/",
        {"reason": "admitted"},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "tumour course": ("get", f"{P}/tumour/", None, (200, 200, 404, 200, 200, 403, 403, 401)),
    "tumour baseline": (
        "post",
        "/api/v1/patients/HAL-002/tumour/baseline/",
        {"form_date": "2026-01-12", "method": "ct",
         "lesions": [{"label": "T1", "target": True, "organ": "liver", "diameter_mm": "30"}]},
        (201, 201, 404, 403, 403, 403, 403, 401),
    ),
    "tumour follow-up": (
        "post",
        f"{P}/tumour/followups/",
        {"form_date": "2026-01-30", "measurements": {"T1": "28"}, "non_target": ""},
        (201, 201, 404, 403, 403, 403, 403, 401),
    ),
    "change tumour assessment": (
        "patch",
        f"{P}/tumour/{{assessment}}/",
        {"expected_version": 1, "reason": "misread", "sizes": {"T1": "31"}},
        (200, 200, 404, 403, 403, 403, 403, 401),
    ),
    "form catalogue": ("get", "/api/v1/forms/", None, (200, 200, 200, 200, 200, 200, 200, 401)),
    "schema": ("get", "/api/v1/schema/", None, (200, 200, 200, 200, 200, 200, 200, 200)),
}  # fmt: skip

CASES = [
    pytest.param(endpoint, persona, statuses[index], id=f"{endpoint}-{persona}")
    for endpoint, (_, _, _, statuses) in TABLE.items()
    for index, persona in enumerate(PERSONAS)
]


@pytest.fixture
def world(centre_a, centre_b):
    """Patients at both centres (Halle's has a haematology form)."""
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        patient = make_patient(centre_a)
        make_patient(centre_b)
        form = save_form(
            "system", Haematology, patient=patient, values={"form_date": dt.date(2026, 1, 19)}
        ).form
        visits.generate_calendar("system", patient, patient.first_dose)
        make_patient(centre_a, 2)  # HAL-002: no tumour assessment yet
        baseline = save_baseline_assessment(
            "system", patient, form_date=dt.date(2026, 1, 12), method="ct",
            lesions=[{"label": "T1", "target": True, "organ": "liver", "diameter_mm": 30}],
        ).assessment  # fmt: skip
        entry = make_screened(centre_a)
        yield {
            "form": form.pk,
            "entry": entry.label,
            "entry_version": entry.version,
            "assessment": baseline.pk,
        }


@pytest.mark.parametrize(("endpoint", "persona", "expected"), CASES)
def test_role_and_centre_decide_the_status(request, world, endpoint, persona, expected):
    method, path, body, _ = TABLE[endpoint]
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        data = body(world) if callable(body) else body
        response = getattr(client, method)(path.format(**world), data, format="json")
    assert response.status_code == expected, response.content


def test_table_covers_every_api_route():
    """A new route must be added to the table (form routes are covered through HAEM)."""
    from django.urls import get_resolver

    api = get_resolver().url_patterns
    routes = set()
    for pattern in api:
        if str(pattern.pattern) == "api/v1/":
            routes = {str(p.pattern) for p in pattern.url_patterns}
    form_routes = {r for r in routes if "/forms/" in r and "/forms/HAEM/" not in r}
    others = routes - form_routes - {"docs/", "redoc/"}
    covered = {
        "auth/token/",
        *(
            path.removeprefix("/api/v1/")
            .replace("HAL-001", "<str:patient_code>")
            .replace("HAL-002", "<str:patient_code>")
            .replace("{assessment}", "<int:assessment_id>")
            .replace("{form}", "<int:form_id>")
            .replace("{entry}", "<str:label>")
            .replace("C1D15", "<str:visit_code>")
            for _, path, _, _ in TABLE.values()
        ),
    }
    assert others - covered == set()
