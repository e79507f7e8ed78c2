"""Keeps proposals' decide grants in step with authority memberships edited anywhere (admin, imports)."""

from __future__ import annotations

from django.db import transaction

from proposals.permissions import sync_authority_grants


def membership_changed(sender, instance, **kwargs) -> None:
    authority_id = instance.authority_id
    transaction.on_commit(lambda: sync_authority_grants(authority_id))
