"""docker-compose.yml cannot run here (no Docker engine), so read it against the settings."""

import re
from pathlib import Path

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
