"""Settings of `make bench`: production-like (DEBUG off, real password hashing, one gunicorn worker) against the
bench database, plus what only the bench needs: a middleware that counts (and on request records) the SQL of each
request, and an URLconf with the bare-Django baseline views (bench.urls). Never used outside the bench."""

import os
import tempfile

import dj_database_url

# Read by base (and inherited by the bench's gunicorn): a run on this machine, over plain HTTP.
os.environ.setdefault("DJANGO_LOCAL_RUN", "true")

from portal.settings.base import *  # noqa: E402, F403

DEBUG = False
# The portal's own connection options (JIT off) on the bench database; no replica.
DATABASES = {
    "default": {
        **dj_database_url.parse(
            os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/portal_bench"),
            conn_max_age=600, conn_health_checks=False,
        ),
        "OPTIONS": DATABASES["default"]["OPTIONS"],  # noqa: F405
    }
}
# The bench connects as the owner of its database, whose generator switches triggers off for the bulk load.
DATABASE_OWNER = None
REPORT_READS_DATABASE = None
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# No collectstatic step: templates name static files without the manifest.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="portal-bench-static-"))  # noqa: F405
# Documents written by the measured operations (decision PDFs) stay out of the portal's own folder.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT") or tempfile.mkdtemp(prefix="portal-bench-"))  # noqa: F405
STORAGES = file_storages(  # noqa: F405
    private_root=PRIVATE_MEDIA_ROOT, object_store=bool(os.environ.get("PORTAL_S3_BUCKET")),
    staticfiles="django.contrib.staticfiles.storage.StaticFilesStorage")
# Deliveries queued by the measured operations go to a Redis database of their own, purged by the runner.
CELERY_BROKER_URL = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # seed_demo and the measured decisions write PDFs; WeasyPrint warns about its font subsetting on each.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
