"""The dashboard's precomputed facts and counters (docs/reports.md "How the figures stay fast and exact").

Triggers keep them exact in the transaction of every write; this recomputes them from scratch, for a bulk load
that ran with triggers off (`SET session_replication_role = replica`) or to check the incremental state.
"""

from __future__ import annotations

from django.db import connection, transaction


def facts_rebuild() -> int:
    """Recompute every fact and counter from the proposals (SQL `reports_facts_rebuild()`); returns the number of
    registered proposals. Writers of proposals wait for it, then apply their changes to the rebuilt state."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT reports_facts_rebuild()")
        return cursor.fetchone()[0]
