"""The OpenAPI schema is valid OpenAPI 3, lists exactly the API's routes and methods, and its
docs page works under our Content-Security-Policy with files from our own static folder."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.urls import reverse
from openapi_spec_validator import validate

from tests.security.test_url_matrix import all_routes

pytestmark = pytest.mark.django_db

NOT_IN_SCHEMA = {"api:schema", "api:docs"}  # the description itself and its viewer


def _schema(client) -> dict:
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi(client):
    schema = _schema(client)
    validate(schema)  # raises on any violation of the OpenAPI 3.0 specification
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http", "scheme": "bearer",
        "description": "A personal API token from /settings/tokens/ (read or write scope).",
    }


def test_the_schema_lists_exactly_the_routes_and_methods_of_the_urlconf(client):
    schema = _schema(client)
    routed = {}
    for route in all_routes():
        if not route.name.startswith("api:") or route.name in NOT_IN_SCHEMA:
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.pattern)
        view = route.callback.cls
        methods = {m for m in view.http_method_names if m not in ("options", "head")
                   and hasattr(view, m)}
        routed[path] = methods
    described = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()}
    assert described == routed


def test_every_error_response_is_described_as_a_problem(client):
    schema = _schema(client)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/Problem"), f"{method} {path} {code}"


def test_the_docs_page_runs_under_our_csp_from_our_own_files(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # No inline script or style: every script has a src, no <style> element.
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    # Everything it loads comes from this site's static files, which exist.
    loaded = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(url.startswith("/") for url in loaded), loaded
    for url in loaded:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    # The init script is served as JavaScript, pointing at our schema.
    script_url = next(u for u in loaded if "script" in u and u.startswith(reverse("api:docs")))
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()


def test_the_schema_generates_without_a_warning(tmp_path):
    """drf-spectacular warns when it must guess (an unknown field type, a clashing operation
    id); a guess is a wrong document for somebody's client, so none is allowed."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3.0")
