"""Test settings: the same PostgreSQL, fast hashing, static files served without a manifest."""

import copy
import os
import tempfile

# Read by base (and inherited by the subprocesses tests start): a run on this machine, over plain HTTP.
os.environ.setdefault("DJANGO_LOCAL_RUN", "true")

from portal.settings.base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))  # noqa: F405
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-static-"))  # noqa: F405
# Files stay on this machine, whatever the shell exports, unless a test switches to the object store
# (tests/test_object_storage.py).
STORAGES = file_storages(private_root=PRIVATE_MEDIA_ROOT, object_store=False,  # noqa: F405
                         staticfiles="django.contrib.staticfiles.storage.StaticFilesStorage")
CACHES = cache_settings("")  # noqa: F405
DEBUG = False
# Tasks enqueued by tests never reach the broker of a portal running on this machine (database 0).
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")  # noqa: F405

# The replica is the test database itself, through a connection of its own that may only read
# (tests/reports/test_replica.py); reports read from it only when a test sets REPORT_READS_DATABASE.
DATABASES.pop("replica", None)  # noqa: F405
DATABASES["replica"] = {  # noqa: F405
    **copy.deepcopy(DATABASES["default"]),  # noqa: F405
    "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
                "options": "-c default_transaction_read_only=on"},
    "TEST": {"MIRROR": "default"},
}
REPORT_READS_DATABASE = None
# Documents are issued unsigned unless a test gives the authorities certificates (tests/proposals/test_signing.py).
DOCUMENT_SIGNING_DIR = ""
DOCUMENT_SIGNING_TRUST = []
