import subprocess
import sys

from django.conf import settings


def _import_settings(env):
    """Import the settings module in a fresh interpreter with exactly ``env``."""
    code = "import workbench.settings as s; print(s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://x@127.0.0.1:1/x", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_outside_debug():
    result = _import_settings({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_defaults_to_debug_off():
    result = _import_settings({"DJANGO_SECRET_KEY": "k"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_it_allows_debug_without_a_key_for_the_laptop():
    result = _import_settings({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_it_uses_utc_aware_datetimes():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "UTC"


def test_celery_is_json_only_with_time_limits_and_late_acks():
    from workbench.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_every_model_is_in_the_admin_with_search():
    from django.apps import apps
    from django.contrib import admin

    missing, unsearchable = [], []
    for label in ("claims", "sources"):
        for model in apps.get_app_config(label).get_models():
            model_admin = admin.site._registry.get(model)
            if model_admin is None:
                missing.append(model.__name__)
            elif not model_admin.search_fields:
                unsearchable.append(model.__name__)
    assert missing == [] and unsearchable == []


def test_manage_py_works_with_no_environment_on_the_embedded_database(tmp_path):
    """Operators script `.venv/bin/python manage.py …` on a laptop install with nothing set:
    it starts (or joins) the embedded PostgreSQL and keeps a generated secret key in var/."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.db import connection; connection.ensure_connection(); "
         "print(connection.vendor, connection.settings_dict['HOST'])"],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WORKBENCH_VAR_DIR": str(tmp_path / "var")},
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert f"postgresql {tmp_path / 'var'}" in result.stdout
    key_file = tmp_path / "var" / "secret-key"
    assert len(key_file.read_text().strip()) >= 50
