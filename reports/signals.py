"""Files of export jobs leave storage with their rows, however the rows go (a person deleted, the admin)."""

from __future__ import annotations

from django.db import transaction


def export_job_deleted(sender, instance, **kwargs) -> None:
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
