"""eCRF pages: typed save, inline hard and soft edit checks, missing codes, reason for change,
optimistic concurrency, the dose with its formula, event forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ramunet.edc.crfs.models import AdverseEvent, Exposure, Haematology
from ramunet.edc.sites import services as site_services
from tests.edc.web.conftest import form_url
from tests.factories import save_haem


def _field(page: str, name: str) -> str:
    return page.split(f'id="field-{name}"')[1].split('<div class="field"')[0]


def test_haematology_is_saved_with_a_missing_value_code(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    response = client.post(
        form_url(patient_a, c1d1, "HAEM"),
        {"form_date": "2026-03-16", "anc": "3.1", "anc_unit": "10^9/L", "wbc__missing": "ND"},
    )
    form = Haematology.objects.get()
    assert response["Location"].endswith(f"?instance={form.pk}")
    assert (form.anc, form.missing, form.visit_id) == (Decimal("3.1"), {"wbc": "ND"}, c1d1.pk)


def test_hard_edit_check_shows_at_its_field_and_saves_nothing(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    response = client.post(
        form_url(patient_a, c1d1, "HAEM"), {"form_date": "2026-03-16", "anc": "-1"}
    )
    assert response.status_code == 400
    assert "anc -1: must not be negative" in _field(response.content.decode(), "anc")
    assert not Haematology.objects.exists()


def test_soft_edit_check_saves_and_warns_at_the_field(client, nurse_a, centre_a, patient_a, c1d1):
    site_services.add_reference_range(
        "system", centre_a, analyte="anc", unit="10^9/L", lln=Decimal("1.8"),
        uln=Decimal("7.5"), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    client.force_login(nurse_a)
    response = client.post(
        form_url(patient_a, c1d1, "HAEM"), {"form_date": "2026-03-16", "anc": "0.3"}
    )
    page = client.get(response["Location"]).content.decode()
    assert 'class="field-warning"' in _field(page, "anc")
    assert "CTCAE v5.0: Neutrophil count decreased" in _field(page, "anc")


def test_changing_a_saved_form_asks_for_a_reason(client, nurse_a, patient_a, c1d1):
    form = save_haem("system", patient_a)
    client.force_login(nurse_a)
    url = form_url(patient_a, c1d1, "HAEM") + f"?instance={form.pk}"
    response = client.post(url, {"form_date": "2026-01-19", "anc": "2.6", "version": form.version})
    assert response.status_code == 400
    assert "A reason is required to change a saved form." in response.content.decode()
    assert Haematology.objects.get().anc == Decimal("2.5")


def test_change_with_a_reason_is_saved(client, nurse_a, patient_a, c1d1):
    form = save_haem("system", patient_a)
    client.force_login(nurse_a)
    url = form_url(patient_a, c1d1, "HAEM") + f"?instance={form.pk}"
    client.post(
        url,
        {"form_date": "2026-01-19", "anc": "2.6", "version": form.version, "reason": "typo"},
    )
    assert Haematology.objects.get().anc == Decimal("2.6")


def test_conflict_shows_the_other_persons_value(client, nurse_a, patient_a, c1d1):
    from tests.factories import edit_haem

    form = save_haem("system", patient_a)
    stale = form.version
    edit_haem("system", form, "2.9")
    client.force_login(nurse_a)
    url = form_url(patient_a, c1d1, "HAEM") + f"?instance={form.pk}"
    response = client.post(
        url, {"form_date": "2026-01-19", "anc": "2.6", "version": stale, "reason": "typo"}
    )
    assert response.status_code == 409
    conflict = response.content.decode().split('id="conflict"')[1].split("</table>")[0]
    assert "<td>anc</td><td>2.9000</td><td>2.6</td>" in conflict
    assert Haematology.objects.get().anc == Decimal("2.9")


def test_dose_preview_shows_formula_and_the_ten_percent_rule(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    fragment = client.post(
        f"/site/patients/{patient_a.code}/visits/{c1d1.pk}/dose/",
        {"drug": "ramucirumab", "weight_kg": "72.5", "dose_given_mg": "500"},
    ).content.decode()
    assert '<strong id="computed-dose">580.00 mg</strong>' in fragment
    assert "8 mg/kg x 72.5 kg = 580 mg" in fragment
    assert "-13.8%" in fragment


def test_dose_deviation_without_reason_is_refused_at_the_reason(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    response = client.post(
        form_url(patient_a, c1d1, "EXPOSURE"),
        {
            "form_date": "2026-03-16",
            "drug": "ramucirumab",
            "cycle": 1,
            "day": 1,
            "weight_kg": "70",
            "dose_given_mg": "400",
        },
    )
    assert response.status_code == 400
    reason = _field(response.content.decode(), "deviation_reason")
    assert "a reason for the deviation is required" in reason
    assert not Exposure.objects.exists()


def test_adverse_event_is_an_event_form_without_visit(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    client.post(
        form_url(patient_a, c1d1, "AE"),
        {
            "form_date": "2026-03-17",
            "term": "Nausea",
            "grade": "1",
            "relation_ramucirumab": "possible",
            "relation_dacarbazine": "probable",
        },
    )
    event = AdverseEvent.objects.get()
    assert (event.term, event.visit_id, event.outcome) == ("Nausea", None, "not_recovered")
    casebook = client.get(f"/site/patients/{patient_a.code}/").content.decode()
    assert f"?instance={event.pk}" in casebook


def test_unknown_form_code_is_404(client, nurse_a, patient_a, c1d1):
    client.force_login(nurse_a)
    assert client.get(form_url(patient_a, c1d1, "NOPE")).status_code == 404


def test_form_page_links_to_the_field_queries_and_history(client, nurse_a, patient_a, c1d1):
    form = save_haem("system", patient_a)
    client.force_login(nurse_a)
    page = client.get(form_url(patient_a, c1d1, "HAEM") + f"?instance={form.pk}")
    anc = _field(page.content.decode(), "anc")
    assert f"/oversight/forms/HAEM/{form.pk}/fields/anc/queries/" in anc
    assert f"/oversight/forms/HAEM/{form.pk}/fields/anc/audit/" in anc
