"""State changes of the routing app."""

from __future__ import annotations

from accounts.models import User
from routing.models import RoutingFailure
from routing.policy import SubmitterProfile


def routing_failure_record(*, submitter: User, proposal_reference: str, profile: SubmitterProfile | None,
                           message: str) -> RoutingFailure:
    """Keep a refused submission visible to administrators; runs outside the refused transaction."""
    return RoutingFailure.objects.create(
        submitter=submitter,
        proposal_reference=proposal_reference,
        profile=profile.as_json() if profile else {},
        message=message[:300],
    )
