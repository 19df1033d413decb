"""Steps shared by the site journeys: fill the screening form from an engine payload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ramunet.edc.web.screening_form import FIELDS, initial_from
from tests.factories import screening_payload

WORDS = {
    "en": {"not met": "not met", "eligible": "eligible", "dose 560": "560.00 mg"},
    "de": {"not met": "nicht erfüllt", "eligible": "geeignet", "dose 560": "560,00 mg"},
}


def today() -> dt.date:
    return timezone.localdate()


def fill_screening_form(page: Any, first_dose: dt.date, **overrides: Any) -> None:
    """Type every screening field of the eligible baseline candidate (first dose as given),
    then ``overrides`` (form field name -> text)."""
    values = initial_from(screening_payload(first_dose))
    values.update(overrides)
    for name, value in values.items():
        if name not in FIELDS:
            continue
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        locator = page.locator(f"#id_{name}")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(text)
        else:
            locator.fill(text)
