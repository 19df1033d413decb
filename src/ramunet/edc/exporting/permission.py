"""Who may export, and whether the export is final or a draft.

Rules (issue #9; ``sites.roles``: data managers and biometricians hold ``export``):

- a biometrician exports only after the database lock: the analysis data set is the locked
  database, never a moving one;
- a data manager may export at any time; before the lock the export is a **draft** and says
  so in its manifest and in every file name's folder (``DRAFT``), for data review and dry runs
  of the analysis programs;
- nobody else exports; an ODM import (``odm_import``) needs a data manager (review and people
  management), into an empty database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ramunet.clinical.errors import PermissionRefused
from ramunet.edc.audit.services import actor_name, database_locked
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability, Role


@dataclass(frozen=True)
class ExportGrant:
    """Who exports, and whether the data are final (database locked) or a draft."""

    username: str
    final: bool

    @property
    def status(self) -> str:
        return "final (database locked)" if self.final else "DRAFT (database not locked)"


def require_export(actor: Any) -> ExportGrant:
    """The export grant of ``actor``; ``PermissionRefused`` naming the rule otherwise."""
    access.require(actor, Capability.EXPORT)
    locked = database_locked()
    held = access.roles(actor)
    if not locked and Role.DATA_MANAGER not in held:
        raise PermissionRefused(
            f"{actor_name(actor)} (biometrician) may export only after the database lock; "
            "a data manager may export a draft before it"
        )
    return ExportGrant(actor_name(actor), final=locked)


def require_import(actor: Any) -> str:
    """The importer's name; only a data manager (review and people management) imports."""
    access.require(actor, Capability.MANAGE_PEOPLE)
    access.require(actor, Capability.REVIEW)
    return actor_name(actor)
