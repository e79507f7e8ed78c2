import subprocess
import sys


def test_production_settings_pass_djangos_deployment_checklist():
    env = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DJANGO_HTTPS": "true",
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "portal.hochiminhcity.gov.vn",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
