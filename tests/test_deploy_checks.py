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


def test_every_variable_the_settings_read_is_listed_in_env_example():
    settings = (ROOT / "portal" / "settings" / "base.py").read_text()
    read = set(re.findall(r'(?:environ\.get\(|environ\[|env_bool\(|env_list\()"([A-Z0-9_]+)"', settings))
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert len(read) > 30
    assert read - listed == set()
