"""Smoke journey: the login page in both languages and the home page behind it."""

from __future__ import annotations

from tests.browser.conftest import login


def test_nurse_logs_in_and_sees_her_home(page, shots, language, nurse_a):
    login(page, nurse_a, language)
    shots("home")
    heading = page.locator("h1").inner_text()
    assert ("Welcome" in heading) if language == "en" else ("Willkommen" in heading)
