"""German throughout: the catalogues are complete and the pages carry no English UI words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.edc.web.conftest import form_url
from tests.factories import make_screened, save_haem

SRC = Path(__file__).resolve().parents[3] / "src" / "ramunet" / "edc"
CATALOGUES = [SRC / app / "locale" / "de" / "LC_MESSAGES" / "django.po" for app in ("web", "sites")]
# English words of the interface that must not survive on a German page (clinical terms such
# as CTCAE terms and RECIST codes stay English, as the standards have them)
ENGLISH_UI = (
    "Save", "Log out", "Worklist", "Screening log", "Visit calendar", "Reason for the change",
    "Eligibility checklist", "Computed dose", "Missing-value code", "Back to the casebook",
    "Visits due", "Open queries", "Record visit", "Date of birth", "Lesions",
    "Sum of diameters", "Welcome", "Verdict", "Candidate", "Haematology", "Absolute neutrophil",
    "Drug administration", "Skip to content", "Log a new candidate", "Adverse events",
    "dose not changed", "not related", "not recovered", "Cycle 1 day 1", "Follow-up month",
)  # fmt: skip


def _entries(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    pairs = re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text)
    join = lambda quoted: "".join(re.findall(r'"(.*)"', quoted))  # noqa: E731
    return [(join(a), join(b)) for a, b in pairs]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_german_catalogue_translates_every_message(catalogue):
    entries = _entries(catalogue)
    assert len(entries) > 30
    assert "#, fuzzy" not in catalogue.read_text(encoding="utf-8")
    untranslated = [msgid for msgid, msgstr in entries if msgid and not msgstr]
    assert untranslated == []


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_site_pages_in_german_have_no_english_ui_words(client, nurse_a, centre_a, patient_a, c1d1):
    entry = make_screened(centre_a)
    haem = save_haem("system", patient_a)
    client.cookies["django_language"] = "de"
    client.force_login(nurse_a)
    pages = [
        "/",
        "/site/worklist/",
        "/site/screening/",
        "/site/screening/new/",
        f"/site/screening/{entry.pk}/",
        f"/site/patients/{patient_a.code}/",
        form_url(patient_a, c1d1, "HAEM") + f"?instance={haem.pk}",
        form_url(patient_a, c1d1, "EXPOSURE"),
        form_url(patient_a, c1d1, "AE"),
        form_url(patient_a, c1d1, "TUMOUR"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        leftovers = [word for word in ENGLISH_UI if re.search(rf"\b{word}\b", text)]
        assert leftovers == [], url
