"""The tamper-evident trails: every row of the audit trail, of the log of confidential openings and of the
retaliation handling steps carries a hash chained to the row before it (its `seal`).

The database refuses to change or remove these rows (the append-only triggers, migrations 0002, 0018, 0019);
the chain shows whether anyone who could get past the triggers (the tables' owner) did: a row changed, removed
or put in afterwards breaks the chain from that row on. Rows are sealed by a nightly task in the order of their
ids, once they are SEAL_AFTER old, so that a transaction still open when the seal runs cannot commit a row below
the sealed ones; `audit_verify` recomputes every chain and names the first row that does not match.

seal(row) = sha256(seal(previous row) + the row's columns as PostgreSQL writes them in JSON, without the seal),
the first row's previous seal being the empty string.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from proposals.models import ConfidentialAccess, ProposalEvent, RetaliationStep

#: The trails, each with the column that says when a row was written.
TRAILS: tuple[tuple[type[Model], str], ...] = (
    (ProposalEvent, "created_at"), (ConfidentialAccess, "accessed_at"), (RetaliationStep, "created_at"))
#: Rows younger than this are left for the next seal (see the module's docstring).
SEAL_AFTER = datetime.timedelta(minutes=10)
BATCH = 5000


def _seal(previous: str, row_json: str) -> str:
    return hashlib.sha256((previous + row_json).encode()).hexdigest()


def _rows(table: str, after_id: int, time_column: str, cutoff: datetime.datetime):
    """(id, seal, the row as JSON, whether it was written before `cutoff`) in id order after `after_id`, a batch
    at a time."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, seal, (to_jsonb(t) - 'seal')::text, {time_column} < %s FROM {table} t "
                       f"WHERE id > %s ORDER BY id LIMIT {BATCH}", [cutoff, after_id])
        return cursor.fetchall()


def audit_seal(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Seal the rows of each trail older than SEAL_AFTER, in id order; returns how many were sealed per table.

    Stops at a row not yet old enough, so the chain never passes over a row that may still commit."""
    cutoff = (now or timezone.now()) - SEAL_AFTER
    sealed = {}
    for model, time_column in TRAILS:
        table = model._meta.db_table
        count = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                # One sealer per trail at a time.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit-seal:{table}"])
                cursor.execute(f"SELECT id, seal FROM {table} WHERE seal <> '' ORDER BY id DESC LIMIT 1")
                last = cursor.fetchone()
            last_id, previous = last if last else (0, "")
            while True:
                rows = _rows(table, last_id, time_column, cutoff)
                batch = []
                for row_id, seal, row_json, old_enough in rows:
                    if seal or not old_enough:
                        rows = []
                        break
                    previous = _seal(previous, row_json)
                    batch.append((row_id, previous))
                    last_id = row_id
                if batch:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} t SET seal = v.seal FROM unnest(%s::bigint[], %s::text[]) AS v(id, seal) "
                            "WHERE t.id = v.id", [[pk for pk, _s in batch], [s for _pk, s in batch]])
                    count += len(batch)
                if len(rows) < BATCH:
                    break
        sealed[table] = count
    return sealed


@dataclasses.dataclass(frozen=True)
class Break:
    table: str
    row_id: int
    reason: str


def audit_verify() -> list[Break]:
    """Recompute every trail's chain; for each trail whose chain breaks, the first row that does not match.

    A changed row breaks at that row; a removed row at the row after it; a row put in later, or an unsealed row
    below sealed ones, at that row."""
    breaks = []
    now = timezone.now()
    for model, time_column in TRAILS:
        table = model._meta.db_table
        previous, last_id, unsealed_seen = "", 0, None
        broken = None
        while broken is None:
            rows = _rows(table, last_id, time_column, now)
            for row_id, seal, row_json, _old in rows:
                last_id = row_id
                if not seal:
                    unsealed_seen = unsealed_seen or row_id
                    continue
                if unsealed_seen is not None:
                    broken = Break(table, unsealed_seen, "a row without a seal below sealed rows")
                    break
                expected = _seal(previous, row_json)
                if seal != expected:
                    broken = Break(table, row_id, "its seal does not match its content and the rows before it")
                    break
                previous = seal
            if len(rows) < BATCH:
                break
        if broken is not None:
            breaks.append(broken)
    return breaks


@transaction.atomic
def audit_breaks_report(breaks: list[Break]) -> int:
    """Tell Home Affairs of each break, once per break (the key names the table and the row); returns how many
    people were told."""
    from accounts.models import HOME_AFFAIRS_GROUP, User
    from proposals import outbox
    from proposals.models import NoticeKind, OutboxMessage

    people = list(User.objects.filter(is_active=True, groups__name=HOME_AFFAIRS_GROUP).values_list("pk", flat=True))
    notices = [OutboxMessage(kind=NoticeKind.AUDIT_BROKEN, key=f"audit-broken:{item.table}:{item.row_id}",
                             recipient_id=pk, payload={"table": item.table, "row": item.row_id, "reason": item.reason})
               for item in breaks for pk in people]
    return len(outbox.queue_notices(notices))
