"""Django's PostgreSQL backend, chaining a transaction's audit records just before it commits.

See ``ramunet.edc.audit.deferral`` and ``ramunet.edc.audit.chaining``: the chain head's row
lock is then taken and released inside the server, in the one round trip that chains the
records and commits, not held for the whole transaction.
"""

from __future__ import annotations

from django.db.backends.postgresql import base

from ramunet.edc.audit.deferral import ChainDeferringWrapper


class DatabaseWrapper(ChainDeferringWrapper, base.DatabaseWrapper):  # type: ignore[misc]
    # the records' write and the COMMIT go in one round trip (``audit.chaining``); the
    # driver's own commit then finds the transaction ended and sends nothing
    commits_with_chain = True
