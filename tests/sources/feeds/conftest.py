"""Fixtures for feed tests: the local web server allowed through the safe fetcher, and a
recorder standing in for the coverage-matching task (sources/ sends it by name)."""

from __future__ import annotations

import pytest


@pytest.fixture
def served(settings, web_server):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FETCH_READ_TIMEOUT = 3
    settings.FETCH_TOTAL_TIMEOUT = 10
    settings.GDELT_API_URL = web_server.url("/gdelt/api")
    settings.FACTCHECK_API_URL = web_server.url("/factcheck/claims:search")
    return web_server


@pytest.fixture
def matching_sent(monkeypatch, settings):
    """Every batch of document ids handed to coverage matching (the broker is not used)."""
    from workbench.celery import app

    sent: list[list[int]] = []
    real_send_task = app.send_task

    def recording(name, args=None, kwargs=None, **options):
        if name == settings.COVERAGE_MATCH_TASK:
            sent.append(list(args[0]))
            return None
        return real_send_task(name, args=args, kwargs=kwargs, **options)

    monkeypatch.setattr(app, "send_task", recording)
    return sent


def rss_feed(items: list[dict], title: str = "Test feed") -> str:
    """A small RSS 2.0 document; items are dicts of title/link/description/pubDate/source."""
    from xml.sax.saxutils import escape, quoteattr

    parts = []
    for item in items:
        fields = "".join(
            f"<{key}>{escape(value)}</{key}>" for key, value in item.items()
            if key in ("title", "link", "description", "pubDate", "guid")
        )
        if item.get("source_url"):
            fields += f"<source url={quoteattr(item['source_url'])}>{escape(item.get('source', ''))}</source>"
        parts.append(f"<item>{fields}</item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://example.org/</link><description>d</description>{''.join(parts)}</channel></rss>")
