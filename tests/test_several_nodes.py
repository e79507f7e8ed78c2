"""The settings of a portal on several nodes (docs/deployment.md), read from the environment as production
reads them, and the state the nodes share: the cache in Redis, the sessions in the database."""

import json
import subprocess
import sys

import pytest
from django.core.cache.backends.redis import RedisCache

from portal.settings.base import cache_settings

SHOW = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "storages": {alias: value["BACKEND"] for alias, value in settings.STORAGES.items()},
    "private": settings.STORAGES["private"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"],
    "session": settings.SESSION_ENGINE,
    "databases": {alias: [value["HOST"], value["NAME"], value.get("OPTIONS", {})]
                  for alias, value in settings.DATABASES.items()},
    "report_reads": settings.REPORT_READS_DATABASE,
}, default=str))
"""

SEVERAL_NODES = {
    "DATABASE_URL": "postgres://portal@db-primary.internal:5432/portal",
    "DATABASE_REPLICA_URL": "postgres://portal_ro@db-replica.internal:5432/portal",
    "REDIS_CACHE_URL": "redis://cache.internal:6379/1",
    "PORTAL_S3_BUCKET": "portal-files", "PORTAL_S3_ENDPOINT_URL": "https://s3.internal:9000",
    "PORTAL_S3_PREFIX": "production",
}


def settings_with(env: dict) -> dict:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base",
           "DJANGO_SECRET_KEY": "k" * 50, **env}
    result = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_on_one_machine_files_stay_in_the_local_folder_and_the_cache_in_memory():
    shown = settings_with({})

    assert shown["storages"]["private"] == "django.core.files.storage.FileSystemStorage"
    assert shown["private"]["location"].endswith("var/private")
    assert shown["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert list(shown["databases"]) == ["default"] and shown["report_reads"] is None
    assert shown["session"] == "django.contrib.sessions.backends.db"


def test_on_several_nodes_files_cache_and_report_reads_go_to_the_shared_services():
    shown = settings_with(SEVERAL_NODES)

    assert shown["storages"]["private"] == shown["storages"]["default"] == "storages.backends.s3.S3Storage"
    assert shown["private"]["bucket_name"] == "portal-files"
    assert shown["private"]["endpoint_url"] == "https://s3.internal:9000"
    assert shown["private"]["location"] == "production/private"
    assert shown["private"]["default_acl"] is None and shown["private"]["addressing_style"] == "path"
    assert shown["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["cache"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert shown["databases"]["default"][:2] == ["db-primary.internal", "portal"]
    assert shown["databases"]["replica"][:2] == ["db-replica.internal", "portal"]
    # read-only sessions, and no JIT for the report reads either (see DATABASES["default"])
    assert shown["databases"]["replica"][2]["options"] == "-c default_transaction_read_only=on -c jit=off"
    assert shown["report_reads"] == "replica"
    assert shown["session"] == "django.contrib.sessions.backends.db"


def test_production_settings_on_several_nodes_pass_djangos_deployment_checklist():
    env = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DJANGO_HTTPS": "true",
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "portal.hochiminhcity.gov.vn", **SEVERAL_NODES,
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def redis_cache_url(worker_id):
    # Databases 11 (the test broker), 14 and 15 (notifications) are taken; xdist workers get one each.
    return f"redis://127.0.0.1:6379/{13 - (int(worker_id.removeprefix('gw')) if worker_id.startswith('gw') else 0)}"


def test_what_one_node_caches_another_node_reads(redis_cache_url):
    config = cache_settings(redis_url=redis_cache_url)["default"]
    params = {key: value for key, value in config.items() if key not in {"BACKEND", "LOCATION"}}
    node_a, node_b = RedisCache(config["LOCATION"], params), RedisCache(config["LOCATION"], params)
    node_a.clear()

    node_a.set("dashboard:2026", {"total": 42}, timeout=30)

    assert node_b.get("dashboard:2026") == {"total": 42}
    node_b.delete("dashboard:2026")
    assert node_a.get("dashboard:2026") is None
    node_a.clear()
