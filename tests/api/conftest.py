"""Fixtures for the API tests: tokens of every kind, and a way to call the API with one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from claims.api.tokens import api_token_create, api_token_revoke
from claims.models import ApiToken


def make_token(user, *, scope="read", name="test token", expires_in_days=None) -> str:
    """A new token's secret."""
    return api_token_create(
        actor=user, user=user, name=name, scope=scope, expires_in_days=expires_in_days
    ).secret


def token_client(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def read_token(editor) -> str:
    return make_token(editor, scope="read")


@pytest.fixture
def write_token(editor) -> str:
    return make_token(editor, scope="write")


@pytest.fixture
def expired_token(editor) -> str:
    secret = make_token(editor, scope="write", expires_in_days=1)
    ApiToken.objects.filter(user=editor, expires_at__isnull=False).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    return secret


@pytest.fixture
def revoked_token(editor) -> str:
    secret = make_token(editor, scope="write", name="to revoke")
    token = ApiToken.objects.get(user=editor, name="to revoke")
    api_token_revoke(actor=editor, token_id=token.pk)
    return secret


@pytest.fixture
def world(editor, editor2, reviewer):
    """One of everything the desk shows (tests/security/world.py)."""
    from tests.security.world import build_world

    return build_world(editor=editor, editor2=editor2, reviewer=reviewer)
