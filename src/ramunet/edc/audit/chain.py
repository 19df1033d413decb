"""Canonical serialisation and hashing of audit records (pure functions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


#: types stored as they are (a dict's or list's items of these are not visited)
_AS_IS = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """A value as it is stored in the audit payload: Decimal and dates as ISO strings."""
    kind = type(value)
    if kind in _AS_IS:  # most values: as they are
        return value
    if kind is dict:
        return {
            (k if type(k) is str else str(k)): (v if type(v) in _AS_IS else jsonable(v))
            for k, v in value.items()
        }
    if kind is list or kind is tuple:
        return [v if type(v) in _AS_IS else jsonable(v) for v in value]
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        # one spelling per number: 0.5, 0.50 and 0.5000 (as a DECIMAL(12,4) column gives it
        # back) are all "0.5"; never exponent notation
        return f"{value.normalize():f}" if value.is_finite() else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def canonical(data: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, no spaces, ASCII only; equal data give equal text."""
    return json.dumps(jsonable(data), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def link_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def state_digest(state: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(state).encode()).hexdigest()
