"""``{{ field|fast_widget }}``: a form field's input or select written in Python.

Django renders every widget (and every option of a select) through its own template, about
a millisecond per field; an eCRF page of 30 questions each with a missing-value select spent
most of its time there (benchmarks/pages.py). This filter builds the same HTML from the
widget's context (``Widget.get_context``: name, value, attributes, options) directly, for the
plain input, textarea, checkbox and select widgets; any other widget is rendered by Django.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms import widgets
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_PLAIN = (widgets.Input, widgets.Textarea, widgets.CheckboxInput, widgets.Select)
_DJANGO = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.ClearableFileInput)


def _attrs(bound: forms.BoundField, widget: forms.Widget) -> dict[str, Any]:
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    if bound.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def _options(context: dict[str, Any]) -> str:
    parts = []
    for _group, choices, _index in context["optgroups"]:
        for option in choices:
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
            )
    return "".join(parts)


@register.filter
def fast_widget(bound: forms.BoundField) -> SafeString:
    widget = bound.field.widget
    if not isinstance(widget, _PLAIN) or isinstance(widget, _DJANGO):
        return bound.as_widget()
    context = widget.get_context(bound.html_name, bound.value(), _attrs(bound, widget))["widget"]
    attrs = dict(context["attrs"])
    name = context["name"]
    if isinstance(widget, forms.Select):
        multiple = " multiple" if context.get("multiple") else ""
        return format_html(
            '<select name="{}"{}{}>{}</select>',
            name,
            flatatt(attrs),
            mark_safe(multiple),
            mark_safe(_options(context)),
        )
    if isinstance(widget, forms.Textarea):
        value = context["value"] or ""
        return format_html('<textarea name="{}"{}>\n{}</textarea>', name, flatatt(attrs), value)
    value = context.get("value")
    value_attr = format_html(' value="{}"', value) if value not in (None, "") else mark_safe("")
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        name,
        value_attr,
        flatatt(attrs),
    )
