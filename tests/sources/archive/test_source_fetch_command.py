"""python manage.py source_fetch URL"""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Snapshot
from tests.support.fixture_server import FIXTURES_DIR

pytestmark = pytest.mark.django_db


def test_it_prints_the_snapshot_hash(site, capsys):
    call_command("source_fetch", site.url("/article.html"))
    expected = hashlib.sha256((FIXTURES_DIR / "article.html").read_bytes()).hexdigest()
    assert capsys.readouterr().out.strip() == expected
    assert Snapshot.objects.get().sha256 == expected


def test_it_fails_with_the_refusal_reason_and_a_nonzero_status(site, resolve_to):
    resolve_to({"intranet.example.com": "10.1.2.3"})
    with pytest.raises(CommandError) as error:
        call_command("source_fetch", "https://intranet.example.com/")
    assert error.value.returncode == 1
    assert "10.1.2.3, a private address" in str(error.value)
    assert not Snapshot.objects.exists()


def test_it_exits_nonzero_from_the_shell_for_a_bad_link(site):
    import subprocess
    import sys

    from django.conf import settings

    completed = subprocess.run(
        [sys.executable, "manage.py", "source_fetch", "ftp://example.org/x"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 2
    assert "Only http and https links can be archived" in completed.stderr
    assert completed.stdout == ""
