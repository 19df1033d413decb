"""Expensive study-wide figures (SDV progress, missing forms, the lock checklist) kept in
Django's cache under the audit chain head.

Every change of trial data appends to the hash-chained audit trail
(``audit.services``), so the chain head (sequence number and hash) names the state of the
data exactly: a figure cached under it can never be stale, and any write makes the next
request compute it afresh. The key also holds the centres the person may see and the day.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from ramunet.edc.audit.services import chain_head
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability

T = TypeVar("T")

SECONDS = 15 * 60  # an unchanged study keeps a figure this long


def chain_state() -> str:
    seq, digest = chain_head()
    return f"{seq}-{digest}"


def cached(
    name: str, user: Any, capability: Capability, compute: Callable[[], T], *parts: str
) -> T:
    """``compute()``'s value for this person's centres and the current state of the data."""
    centres = access.centre_ids(user, capability)
    scope = "all" if centres is None else ",".join(str(c) for c in sorted(centres))
    key = ":".join(("ramunet", "oversight", name, scope, chain_state(), *parts))
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SECONDS)
    return value
