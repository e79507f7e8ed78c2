"""Row locks, one helper for every service that changes a proposal (STYLE.md: lock the row in every transition).

`FOR NO KEY UPDATE` rather than `FOR UPDATE`: it serialises changes of the proposal itself but still lets
other transactions insert rows that point at it (events, outbox messages, notes), so a long decision does
not block a comment. `of=("self",)` keeps the joined rows (the deciding authority, the author) unlocked.
"""

from __future__ import annotations

from django.db.models import Model

from proposals.models import Proposal


def proposal_lock(proposal: Proposal | int, *, related: tuple[str, ...] = ("deciding_authority",)) -> Proposal:
    """The proposal re-read under a row lock held until the transaction ends; state and permission are then
    checked again on this row, never on the caller's copy."""
    pk = proposal.pk if isinstance(proposal, Model) else proposal
    queryset = Proposal.objects.select_for_update(no_key=True, of=("self",))
    # select_related() with no field would join every non-null foreign key.
    return (queryset.select_related(*related) if related else queryset).get(pk=pk)
