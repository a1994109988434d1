"""pytest plugin: ``pytest_plugins = ["tests.support.fixtures"]`` in tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.support.fixture_server import FixtureServer


@pytest.fixture(scope="session")
def _web_server_session():
    server = FixtureServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def web_server(_web_server_session):
    """The local fixture HTTP server (127.0.0.1, random port); routes/requests reset per test."""
    _web_server_session.reset()
    yield _web_server_session
    _web_server_session.reset()
