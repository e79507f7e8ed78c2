"""Where the proposal's documents live: private storage outside the public media path."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


# Migrations name it by its public path, so the package's layout can change without a migration.
@deconstructible(path="proposals.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files outside the public media path; only `proposals.views.AttachmentDownloadView` serves them."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)


private_storage = PrivateStorage()


def document_path(instance, filename):
    return f"proposals/{instance.proposal_id}/{filename}"
