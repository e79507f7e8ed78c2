import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_djangos_deployment_checklist():
    env = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DJANGO_HTTPS": "true",
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "portal.hochiminhcity.gov.vn",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checklist_fails_when_the_portal_would_connect_as_the_databases_owner():
    owner = "postgres://portal_owner@db.internal:5432/portal"
    env = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DJANGO_HTTPS": "true",
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "portal.hochiminhcity.gov.vn", "DATABASE_URL": owner, "DATABASE_APP_URL": owner,
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)

    assert result.returncode == 1 and "portal.W001" in result.stderr


def test_every_variable_the_settings_read_is_listed_in_env_example():
    settings = (ROOT / "portal" / "settings" / "base.py").read_text()
    read = set(re.findall(r'(?:environ\.get\(|environ\[|env_bool\(|env_list\()"([A-Z0-9_]+)"', settings))
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert len(read) > 30
    assert read - listed == set()


def _start(env: dict) -> subprocess.CompletedProcess:
    """Django started as a web node starts it, with only `env` in its environment."""
    return subprocess.run([sys.executable, "-c", SHOW_SECURITY],
                          env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base", **env},
                          capture_output=True, text=True, cwd=ROOT)


SHOW_SECURITY = """
import django
django.setup()
from django.conf import settings
print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS,
      settings.SECURE_PROXY_SSL_HEADER)
"""


def test_without_a_secret_key_production_refuses_to_start_with_a_clear_message():
    result = _start({"DJANGO_DEBUG": "false"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Chưa đặt DJANGO_SECRET_KEY" in result.stderr


def test_production_is_served_over_https_unless_told_otherwise():
    key = {"DJANGO_SECRET_KEY": "k" * 50}

    production = _start(key)
    explicitly_plain = _start({**key, "DJANGO_HTTPS": "false"})
    local = _start({"DJANGO_LOCAL_RUN": "true"})

    assert production.stdout.split() == ["True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    assert explicitly_plain.stdout.split()[:3] == local.stdout.split()[:3] == ["False", "False", "0"]


def test_production_settings_pass_the_checklist_without_naming_https():
    env = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "portal.hochiminhcity.gov.vn",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, cwd=ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
