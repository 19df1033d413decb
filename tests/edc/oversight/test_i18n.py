"""Every oversight string is translated into German, and the pages switch language."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

import ramunet.edc.oversight

PO = Path(ramunet.edc.oversight.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"


def untranslated(text: str) -> list[str]:
    """msgids whose msgstr (or any plural msgstr[n]) is empty."""
    missing = []
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        joined = "\n".join(lines)
        msgid = joined.split("msgstr", 1)[0]
        for part in joined.split("msgstr")[1:]:
            value = part.split(" ", 1)[1] if " " in part else ""
            if value.strip() in ('""', ""):
                missing.append(msgid.strip())
    return missing


def test_german_catalogue_is_complete():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert untranslated(text) == []


def test_compiled_catalogue_is_newer_than_the_source():
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime


def test_sponsor_home_in_german(signed_in, sponsor):
    client = signed_in(sponsor)
    client.cookies["django_language"] = "de"
    body = client.get(reverse("oversight:home")).content.decode()
    assert "Primärer Endpunkt: Krankheitskontrolle nach 6 Monaten" in body
    assert "Prädiktive Erfolgswahrscheinlichkeit" in body


def test_query_thread_in_german(signed_in, monitor, haem):
    client = signed_in(monitor)
    client.cookies["django_language"] = "de"
    url = reverse("oversight:field_queries", args=["HAEM", haem.pk, "anc"])
    assert "Rückfrage stellen" in client.get(url).content.decode()
