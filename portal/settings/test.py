"""Test settings: the same PostgreSQL, fast hashing, static files served without a manifest."""

import tempfile

from portal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))  # noqa: F405
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-static-"))  # noqa: F405
DEBUG = False
# Tasks enqueued by tests never reach the broker of a portal running on this machine (database 0).
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")  # noqa: F405
