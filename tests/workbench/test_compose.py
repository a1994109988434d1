"""docker-compose.yml cannot run here (no Docker engine), so read it against the settings."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


ENV_READ = re.compile(r"(?:env_(?:bool|int|list)|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\"")


def _settings_env_names():
    return set(ENV_READ.findall((ROOT / "workbench" / "settings.py").read_text()))


def test_it_runs_the_production_shape():
    services = _compose()["services"]
    assert {"db", "redis", "web", "worker", "embedder", "beat"} <= set(services)
    # PostgreSQL 16 with pgvector: the migrations create the vector extension.
    assert services["db"]["image"] == "pgvector/pgvector:pg16"
    assert services["redis"]["image"].startswith("redis:7")


def test_web_worker_and_beat_share_one_image_and_run_the_right_commands():
    services = _compose()["services"]
    images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert images == {"factdesk:latest"}
    assert all(services[name].get("build") == "." for name in ("web", "worker", "beat"))
    web = " ".join(services["web"]["command"])
    assert "gunicorn" in web and f"{settings.WSGI_APPLICATION.rsplit('.', 1)[0]}:application" in web
    worker = " ".join(services["worker"]["command"])
    beat = " ".join(services["beat"]["command"])
    assert "celery -A workbench worker" in worker
    assert "celery -A workbench beat" in beat
    # The celery app module named in the commands exists and is the one settings configure.
    assert (ROOT / "workbench" / "celery.py").exists()


def test_the_embedding_queue_has_a_worker_of_its_own_and_the_worker_leaves_it_alone():
    services = _compose()["services"]
    embedder = services["embedder"]["command"]
    worker = services["worker"]["command"]
    assert embedder[embedder.index("--queues") + 1] == settings.CELERY_EMBEDDING_QUEUE
    assert worker[worker.index("--queues") + 1] == settings.CELERY_TASK_DEFAULT_QUEUE
    assert services["embedder"]["image"] == "factdesk:latest"
    assert services["embedder"]["environment"]["CELERY_EMBEDDING_QUEUE"] == settings.CELERY_EMBEDDING_QUEUE


def test_app_services_point_at_the_compose_database_and_broker():
    services = _compose()["services"]
    for name in ("web", "worker", "embedder", "beat", "migrate"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_every_service_that_serves_has_a_healthcheck_and_data_has_named_volumes():
    compose = _compose()
    services = compose["services"]
    for name in ("db", "redis", "web", "worker", "embedder"):
        assert "healthcheck" in services[name], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    named = set(compose["volumes"])
    assert services["db"]["volumes"][0].split(":")[0] in named
    assert services["redis"]["volumes"][0].split(":")[0] in named


def test_env_example_lists_every_variable_the_settings_read():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    names = _settings_env_names()
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SECRET_KEY"} <= names
    missing = names - listed
    assert not missing, f".env.example does not list: {sorted(missing)}"


def test_compose_variables_are_documented():
    text = (ROOT / "docker-compose.yml").read_text()
    example = (ROOT / ".env.example").read_text()
    for name in set(re.findall(r"\$\{([A-Z_]+)", text)):
        assert f"{name}=" in example, name


def _documented_env() -> dict[str, str]:
    """The production environment as .env.example documents it (uncommented lines)."""
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            env[match.group(1)] = match.group(2)
    return env


def test_web_is_published_on_loopback_only_and_the_data_services_not_at_all():
    services = _compose()["services"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    for name in ("db", "redis", "worker", "beat", "migrate"):
        assert "ports" not in services[name], name


@pytest.mark.django_db
def test_the_web_healthcheck_passes_with_the_documented_allowed_hosts(client, settings):
    import subprocess

    command = _compose()["services"]["web"]["healthcheck"]["test"]
    assert command[0] == "CMD-SHELL"
    # Compose turns $$ into $; the container's shell then expands the variable.
    shell = command[1].replace("$$", "$")
    host_expr = re.search(r'-H "Host: ([^"]+)"', shell).group(1)
    env = _documented_env()
    host = subprocess.run(["sh", "-c", f'printf %s "{host_expr}"'], capture_output=True, text=True,
                          env={"DJANGO_ALLOWED_HOSTS": env["DJANGO_ALLOWED_HOSTS"]}).stdout
    assert host == env["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    path = re.search(r"http://127\.0\.0\.1:8000(/\S*)", shell).group(1)
    settings.ALLOWED_HOSTS = env["DJANGO_ALLOWED_HOSTS"].split(",")
    settings.SECURE_SSL_REDIRECT = True  # as in production: /healthz must not be redirected
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 400  # why the header is needed


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "FETCH_"))}
    env.update(_documented_env())
    env.update({
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # .env.example says: set a real one
        "DATABASE_URL": "postgres://factdesk:unused@db.invalid:5432/factdesk",  # never connected
        "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
        "WORKBENCH_VAR_DIR": str(tmp_path),
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_each_process_family_adds_up_its_metrics_in_a_tmpfs_of_its_own_and_workers_serve_them():
    """gunicorn's workers and a Celery pool each share one multiprocess folder, empty at every
    start (a tmpfs per container: PIDs of different containers never share a folder); the
    workers' metrics port stays inside the compose network."""
    services = _compose()["services"]
    for name in ("web", "worker", "embedder"):
        folder = services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"]
        assert folder in services[name]["tmpfs"], name
        assert folder not in " ".join(services[name].get("volumes", [])), name
    for name in ("worker", "embedder"):
        port = services[name]["environment"]["WORKER_METRICS_PORT"]
        assert int(port) > 0
        assert not any(port in str(published) for published in services[name].get("ports", []))
    assert "WORKER_METRICS_PORT" in _settings_env_names()
