"""Fixtures for the security tests: one of everything, with or without a payload in it."""

from __future__ import annotations

import pytest

from tests.security.world import PAYLOAD, build_world


@pytest.fixture
def world(editor, editor2, reviewer):
    return build_world(editor=editor, editor2=editor2, reviewer=reviewer)


@pytest.fixture
def hostile_world(editor, editor2, reviewer):
    """Every user- and feed-controlled text field carries PAYLOAD."""
    return build_world(editor=editor, editor2=editor2, reviewer=reviewer, payload=PAYLOAD)
