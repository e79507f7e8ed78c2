"""Where the proposal's documents live: the private storage (portal.storage), `STORAGES["private"]` in the settings."""

from __future__ import annotations

from portal.storage import PRIVATE_STORAGE_ALIAS, PrivateStorage, private_storage

__all__ = ["PRIVATE_STORAGE_ALIAS", "PrivateStorage", "document_path", "private_storage"]


def document_path(instance, filename):
    return f"proposals/{instance.proposal_id}/{filename}"
