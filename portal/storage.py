"""The private storage, `STORAGES["private"]` in the settings: where uploaded and generated files live (proposals'
documents, reports, the organisation's imports). In `portal` so that every app's models may use it."""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

PRIVATE_STORAGE_ALIAS = "private"


# Migrations name it by its public path, so the package's layout can change without a migration.
@deconstructible(path="proposals.models.PrivateStorage")
class PrivateStorage(Storage):
    """The configured private storage: a folder outside the public media path on one machine, an object
    store shared by every node on several (portal/settings/base.py `file_storages`).

    Each call asks `storages` for the backend instead of keeping one, so that a change of `STORAGES` (a test
    switching to the object store) reaches every file field. Files are read and written through the storage
    API only: a private file has no local path (an object store has none) and no URL (only
    `proposals.files.private_download`, behind a permission check, sends one)."""

    @property
    def backend(self) -> Storage:
        return storages[PRIVATE_STORAGE_ALIAS]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def path(self, name):
        raise NotImplementedError("Private files are read through the storage API; they have no local path.")

    def url(self, name):
        raise NotImplementedError("Private files have no address; a view that checks permission sends them.")


private_storage = PrivateStorage()
