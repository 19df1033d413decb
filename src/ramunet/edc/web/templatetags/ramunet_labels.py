"""``{{ visit|visit_label }}``: a visit's label in the current language."""

from __future__ import annotations

from typing import Any

from django import template

from ramunet.edc.web import labels

register = template.Library()


@register.filter
def visit_label(visit: Any) -> str:
    return labels.visit_label(visit.code, visit.label)
