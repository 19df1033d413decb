"""The OpenAPI schema views, and one enum per field name for the generated form schemas.

Several form fields share a choice set (the QLQ-C30 items 1-28 all answer 1-4; an adverse
event's relation to each drug). drf-spectacular would give such a set one component and warn
that the fields name it differently; ``enum_per_field_name`` keys each set by field name too,
so every field keeps its own enum component (``Q4Enum``, ``RelationRamucirumabEnum``) and no
``ENUM_NAME_OVERRIDES`` entry is needed when a form is added.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from drf_spectacular.plumbing import list_hash
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authentication import SessionAuthentication

from ramunet.edc.api.base import AccountTokenAuthentication

SCHEMA_SETTINGS = {
    "POSTPROCESSING_HOOKS": [
        "ramunet.edc.api.schema.enum_per_field_name",
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
}
AUTHENTICATION = [AccountTokenAuthentication, SessionAuthentication]


def _properties(node: Any) -> Iterator[MutableMapping[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _properties(item)
    elif isinstance(node, MutableMapping):
        if isinstance(node.get("properties"), MutableMapping):
            yield node["properties"]
        for key in ("oneOf", "allOf", "anyOf"):
            yield from _properties(node.get(key, []))


def enum_per_field_name(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Make each enum's identity include its field name (a drf-spectacular post-hook)."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for properties in _properties(component):
            for name, prop in properties.items():
                target = prop.get("items") if prop.get("type") == "array" else prop
                if not isinstance(target, MutableMapping) or "enum" not in target:
                    continue
                values = [v for v in target["enum"] if v not in ("", None)]
                identity = target.get("x-spec-enum-id") or list_hash([(v, v) for v in values])
                target["x-spec-enum-id"] = f"{identity}-{name}"
    return result


schema_view = SpectacularAPIView.as_view(
    custom_settings=SCHEMA_SETTINGS, authentication_classes=AUTHENTICATION
)
swagger_view = SpectacularSwaggerView.as_view(
    url_name="api:schema", authentication_classes=AUTHENTICATION
)
redoc_view = SpectacularRedocView.as_view(
    url_name="api:schema", authentication_classes=AUTHENTICATION
)
