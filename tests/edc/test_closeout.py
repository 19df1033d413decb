"""Close-out: a centre's casebook PDFs with the audit trail, and a manifest of checksums."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from decimal import Decimal

import pytest

from ramunet.clinical.errors import PermissionRefused
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.locking.closeout import centre_archive
from ramunet.edc.queries import services as queries
from ramunet.edc.review import services as review
from tests.factories import PASSWORD, make_patient


def pdf_text(path):
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def casebook(nurse_a, monitor, investigator_a, centre_a, centre_b):
    patient = make_patient(centre_a)
    make_patient(centre_b)
    form = save_form(
        nurse_a,
        Haematology,
        patient=patient,
        today=dt.date(2026, 2, 1),
        values={
            "form_date": dt.date(2026, 1, 19),
            "anc": Decimal("0.8"),
            "missing": {"platelets": "ND"},
        },
    ).form
    query = queries.raise_query(monitor, form, "anc", "Please confirm ANC 0.8")
    queries.answer_query(nurse_a, query, "Confirmed on lab printout")
    review.sign_casebook(investigator_a, patient, password=PASSWORD)
    return patient


def test_centre_archive_has_one_casebook_per_own_patient_and_a_manifest(
    data_manager, centre_a, casebook, tmp_path
):
    archive = centre_archive(data_manager, centre_a, tmp_path)
    assert [p.name for p in archive.files] == ["HAL-001-casebook.pdf"]
    manifest = json.loads(archive.manifest.read_text())
    assert manifest["centre"] == "HAL"
    digest = hashlib.sha256(archive.files[0].read_bytes()).hexdigest()
    assert manifest["files"] == {"HAL-001-casebook.pdf": digest}


def test_casebook_pdf_shows_values_missing_codes_queries_signature_and_audit(
    data_manager, centre_a, casebook, tmp_path
):
    text = pdf_text(centre_archive(data_manager, centre_a, tmp_path).files[0])
    assert "RamuNET casebook HAL-001" in text
    assert "absolute neutrophil count" in text and "0.8" in text
    assert "[ND]" in text  # platelets not done: the code, not a blank
    assert "Please confirm ANC 0.8" in text and "Confirmed on lab printout" in text
    assert "signed by Investigator.A" in text
    assert "crf.haem.created" in text  # the audit trail
    pages = subprocess.run(
        ["pdfinfo", str(tmp_path / "HAL" / "HAL-001-casebook.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Pages:" in pages


def test_site_user_cannot_archive_another_centre(investigator_b, centre_a, casebook, tmp_path):
    with pytest.raises(PermissionRefused):
        centre_archive(investigator_b, centre_a, tmp_path)
