"""The append-only, hash-chained audit trail.

Each ``AuditRecord`` holds a canonical JSON ``payload`` (who, when, what, old and new values,
the full state after the change, the reason) and ``hash = sha256(prev_hash + payload)``. The
indexed columns repeat fields of the payload for filtering; ``verify`` checks they agree.
``ChainHead`` is the one row that serialises appends (locked ``FOR UPDATE``) and remembers the
last sequence number and hash, so a deleted tail is caught too.
"""

from __future__ import annotations

from django.db import models


class AuditRecord(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    model = models.CharField(max_length=80, blank=True, db_index=True)
    object_pk = models.CharField(max_length=64, blank=True)
    patient = models.CharField(max_length=20, blank=True, db_index=True)
    centre = models.CharField(max_length=3, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    payload = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["model", "object_pk"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor}"


class ChainHead(models.Model):
    """Singleton (pk=1): the last sequence number and hash of the audit chain, and the
    database lock (no trial data change is appended while it is set)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    locked = models.BooleanField(default=False)


class AuditedModel(models.Model):
    """Base of every model whose rows are written only through ``audit.services``.

    ``version`` increases with every audited change (optimistic concurrency); ``verify``
    compares each row with the state its last audit record holds.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def check_writable(self) -> None:
        """Raise ``LockedError`` when this row may not change (frozen or locked)."""

    def audit_scope(self) -> tuple[str, str]:
        """The (patient id, centre code) this row belongs to, for filtering the trail."""
        return ("", "")
