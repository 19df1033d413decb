"""How the API answers ramunet's errors (``ramunet.clinical.errors``) and DRF's own.

======================================  ======  =============================================
error                                   status  body
======================================  ======  =============================================
``InvalidInput`` and its subclasses     400     ``{"field", "rule", "message", "value"}``
``EditCheckFailed`` (hard edit check)   400     same; ``rule`` is the check's stable code
a value DRF cannot parse (bad date)     400     same; ``rule`` is DRF's code (``invalid``)
``PermissionRefused``                   403     ``{"detail"}``
``LockedError`` (frozen, locked)        423     ``{"detail"}``
``ConflictError`` (stale version)       409     ``{"detail", "conflict": {"by", "at",
                                                "changes"}}``: the other person's change
any other ``WorkflowError`` (state)     409     ``{"detail"}``
======================================  ======  =============================================

A frozen form or a locked patient answers 423 Locked (RFC 4918 §11.3) rather than 409: the
client cannot resolve it by reloading and retrying (as it can a 409 conflict); only a data
manager's unlock can. Every service runs in one transaction, so nothing is saved when an error
is answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ramunet.clinical.errors import (
    ConflictError,
    EditCheckFailed,
    InvalidInput,
    LockedError,
    PermissionRefused,
    WorkflowError,
)
from ramunet.edc.audit.chain import jsonable


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="the offending field (dotted for nested data)")
    rule = serializers.CharField(help_text="the rule broken (an edit check's stable code)")
    message = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="the offending value, if any")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictChangeSerializer(serializers.Serializer):
    by = serializers.CharField(help_text="who saved the record since your version")
    at = serializers.CharField(help_text="when (UTC, ISO 8601)")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text="field -> [old, new] of every change since your version",
    )


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflict = ConflictChangeSerializer()


ERROR_RESPONSES: dict[int, type[serializers.Serializer]] = {
    400: FieldErrorSerializer,
    403: DetailSerializer,
    404: DetailSerializer,
    409: ConflictSerializer,
    423: DetailSerializer,
}


def error_responses(*codes: int) -> dict[int, Any]:
    """The schema's error bodies for these status codes (``extend_schema(responses=...)``)."""
    return {code: ERROR_RESPONSES[code] for code in codes}


def field_error(error: InvalidInput) -> dict[str, Any]:
    """The 400 body of one field error."""
    if isinstance(error, EditCheckFailed):
        return {
            "field": error.field,
            "rule": error.check,
            "message": str(error),
            "value": jsonable(error.value),
        }
    return {
        "field": error.field,
        "rule": error.rule,
        "message": str(error),
        "value": jsonable(error.value),
    }


def _first_error(detail: Any, path: Sequence[str] = ()) -> tuple[list[str], Any]:
    """The path and the first message of a (nested) DRF validation error."""
    if isinstance(detail, Mapping):
        key, inner = next(iter(detail.items()))
        return _first_error(inner, [*path, str(key)])
    if isinstance(detail, list) and detail:
        first = detail[0]
        if isinstance(first, Mapping | list):
            index = next(i for i, item in enumerate(detail) if item)
            return _first_error(detail[index], [*path, str(index)])
        return list(path), first
    return list(path), detail


def drf_validation_error(error: exceptions.ValidationError) -> dict[str, Any]:
    """DRF's parse errors in the same shape as ``InvalidInput`` (form values unprefixed)."""
    path, message = _first_error(error.detail)
    if path[:1] == ["values"]:
        path = path[1:]
    name = ".".join(p for p in path if p != "non_field_errors") or "body"
    code = getattr(message, "code", "invalid")
    return {"field": name, "rule": code, "message": f"{name}: {message}", "value": None}


def conflict_body(error: ConflictError) -> dict[str, Any]:
    conflict = getattr(error, "conflict", None)
    return {
        "detail": str(error),
        "conflict": {
            "by": getattr(conflict, "by", ""),
            "at": getattr(conflict, "at", ""),
            "changes": dict(getattr(conflict, "changes", {})),
        },
    }


def ramunet_error_response(error: Exception) -> Response | None:
    """The response for one of ramunet's errors, or None for anything else."""
    if isinstance(error, InvalidInput):
        return Response(field_error(error), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, PermissionRefused):
        return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, LockedError):
        return Response({"detail": str(error)}, status=status.HTTP_423_LOCKED)
    if isinstance(error, ConflictError):
        return Response(conflict_body(error), status=status.HTTP_409_CONFLICT)
    if isinstance(error, WorkflowError):
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    return None


def handle_api_error(error: Exception, context: dict[str, Any]) -> Response | None:
    """The API views' exception handler: ramunet's errors first, then DRF's default."""
    response = ramunet_error_response(error)
    if response is not None:
        return response
    if isinstance(error, exceptions.ValidationError):
        return Response(drf_validation_error(error), status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(error, context)
