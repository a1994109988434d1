"""HTML and script typed by a user or carried in by a feed is shown as text, everywhere.

``hostile_world`` puts ``<script>alert(1)</script>"><img src=x onerror=alert(1)>`` into
every text field (claims, claimants, tags, notes, evidence, sources, outlets, verdicts,
review comments, feeds, documents, gather runs, snapshots); every page that shows them is
rendered and searched for the payload in raw form.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.world import PAYLOAD, RAW_MARKERS

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def assert_escaped(response, where: str) -> str:
    assert response.status_code == 200, f"{where}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    html = body.decode()
    for marker in RAW_MARKERS:
        assert marker not in html, f"{where}: raw {marker!r} in the page"
    assert 'href="javascript:' not in html.lower(), f"{where}: a javascript: link"
    return html


def desk_pages(world) -> dict[str, str]:
    researching = world.claims["researching"].pk
    published = world.published.pk
    pages = {
        "queue": "/",
        "queue search": "/?q=military",
        "queue search for the payload": "/?" + _query(q=PAYLOAD),
        "reviews": reverse("reviewing:reviews"),
        "inbox": reverse("coverage:inbox"),
        "feeds": reverse("sources:feed_list"),
        "feed": reverse("sources:feed_detail", args=[world.feed.pk]),
        "source": reverse("sources:source_detail", args=[world.source.pk]),
        "snapshot": reverse("sources:snapshot_detail", args=[world.source.pk, world.snapshot.pk]),
        "similar (htmx)": reverse("claims:claim_similar") + "?" + _query(text="military aid " + PAYLOAD),
    }
    for status, claim in {**world.claims, "published": world.published}.items():
        pages[f"{status} claim"] = reverse("claims:claim_detail", args=[claim.pk])
        pages[f"{status} verdict"] = reverse("reviewing:verdict", args=[claim.pk])
        pages[f"{status} coverage"] = reverse("coverage:claim_coverage", args=[claim.pk])
        pages[f"{status} report"] = reverse("exports:claim_report", args=[claim.pk])
        pages[f"{status} discussion"] = reverse("discussion:comments", args=[claim.pk])
    pages["evidence list (htmx)"] = reverse("claims:claim_evidence", args=[researching])
    pages["published v1"] = reverse("reviewing:verdict", args=[published]) + "?version=1"
    pages["published v2 draft"] = reverse("reviewing:verdict", args=[published]) + "?version=2"
    return pages


def _query(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_it_escapes_the_payload_on_every_desk_page(client, hostile_world, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for where, url in desk_pages(hostile_world).items():
        for headers in ({}, {"HX-Request": "true"}):
            assert_escaped(client.get(url, headers=headers), f"{where} {url} {headers}")


def test_the_payload_really_is_on_the_pages(editor_client, hostile_world):
    """Guard against a vacuous pass: the escaped payload is shown, not silently dropped."""
    html = assert_escaped(
        editor_client.get(reverse("claims:claim_detail", args=[hostile_world.claims["researching"].pk])),
        "claim",
    )
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_escapes_htmx_fragments(editor_client, hostile_world):
    world = hostile_world
    run = reverse("coverage:gather_progress", args=[world.claims["researching"].pk, world.gather_run.pk])
    assert_escaped(editor_client.get(run, headers={"HX-Request": "true"}), "gather progress")
    coverage = reverse("coverage:claim_coverage", args=[world.claims["researching"].pk])
    assert_escaped(editor_client.get(coverage + "?fragment=suggestions", headers={"HX-Request": "true"}),
                   "suggestions fragment")
    dismissed = editor_client.post(reverse("coverage:dismiss", args=[world.suggestion.pk]),
                                   headers={"HX-Request": "true"})
    assert_escaped(dismissed, "dismissed suggestion fragment")
    read = editor_client.post(
        reverse("reviewing:notification_read", args=[world.notification.pk]),
        headers={"HX-Request": "true"},
    )
    assert read.status_code in (200, 404)  # the notification belongs to the reviewer
    manual = editor_client.post(
        reverse("claims:evidence_manual", args=[world.claims["researching"].pk]),
        {"title": "Manual " + PAYLOAD, "stance": "context", "speaker": PAYLOAD, "quote": PAYLOAD,
         "outlet_name": "Outlet " + PAYLOAD, "kind": "official_statement"},
        headers={"HX-Request": "true"},
    )
    assert_escaped(manual, "manual evidence fragment")


def test_it_escapes_the_payload_in_forms_shown_again_with_errors(editor_client, hostile_world):
    response = editor_client.post(reverse("claims:claim_new"), {"text": PAYLOAD, "claimant": ""})
    assert response.status_code == 400
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html
    note = editor_client.post(reverse("claims:note_create", args=[hostile_world.claims["new"].pk]),
                              {"body": ""})
    assert_escaped_any(note)


def assert_escaped_any(response):
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html


def test_it_escapes_the_payload_on_public_pages_and_in_json_ld(client, hostile_world):
    slug = hostile_world.published.slug
    assert_escaped(client.get(reverse("public:list")), "public list")
    html = assert_escaped(client.get(reverse("public:detail", args=[slug])), "public detail")
    (ld,) = LD_JSON.findall(html)
    assert "</" not in ld and "<" not in ld, "JSON-LD must not carry a raw '<' (it could close the tag)"
    data = json.loads(ld)
    assert PAYLOAD in data["claimReviewed"]  # the text itself survives, encoded
    assert PAYLOAD in data["headline"]


def test_it_serves_claimreview_json_as_json(client, hostile_world):
    for url in (reverse("public:feed"), reverse("public:claimreview", args=[hostile_world.published.slug])):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/ld+json")
        assert response["X-Content-Type-Options"] == "nosniff"
        json.loads(response.content)


def test_it_serves_json_exports_as_json_not_html(editor_client, hostile_world):
    response = editor_client.get(reverse("exports:claims_json"))
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    json.loads(b"".join(response.streaming_content))


def test_it_neutralises_formulas_in_every_csv_column(editor_client, editor):
    from tests.factories import make_claim

    make_claim(editor, text="=HYPERLINK(\"http://evil.example\",\"x\")", claimant="+SUM(A1:A9)",
               said_where="-2+3", tags=["@cmd"])
    response = editor_client.get(reverse("exports:claims_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(body)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


FEED_WITH_MARKUP = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hostile &lt;script&gt;alert(1)&lt;/script&gt; feed</title>
<link>https://hostile.example/</link><description>x</description>
<item><title>Russia asked China for military aid &lt;script&gt;alert(1)&lt;/script&gt;</title>
<link>https://hostile.example/news/aid</link>
<description><![CDATA[<p>Officials said Russia asked China for military assistance.</p>
<script>alert(1)</script>"><img src=x onerror=alert(1)>]]></description></item>
<item><title>Double-encoded &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; aid</title>
<link>https://hostile.example/news/double</link>
<description>Russia asked China &amp;lt;img src=x onerror=alert(1)&amp;gt;</description></item>
<item><title>A javascript link</title><link>javascript:alert(1)</link>
<description>Should never become a link</description></item>
</channel></rss>"""


def test_it_keeps_feed_markup_as_text(editor_client, editor, settings, web_server):
    """A polled feed item whose title and summary carry HTML: stored and shown as text on
    the feed page, the coverage tab and the inbox; a javascript: link never becomes a link."""
    from claims.models import CoverageSuggestion
    from sources.feeds import feed_poll
    from sources.models import Document, Feed
    from tests.factories import make_claim

    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    url = web_server.add_route("/hostile.xml", FEED_WITH_MARKUP, "application/rss+xml")
    feed = Feed.objects.create(url=url, kind="rss")
    feed_poll(feed_id=feed.pk, send_matching=False)
    documents = {d.canonical_url.rsplit("/", 1)[-1]: d for d in Document.objects.filter(feed=feed)}
    assert set(documents) == {"aid", "double"}  # the javascript: item is skipped
    # Ingest stores plain text: tags are stripped, even double-encoded ones; the words stay.
    for stored in documents.values():
        assert "<script" not in stored.title + stored.summary
        assert "<img" not in stored.title + stored.summary
    assert "alert(1)" in documents["double"].title
    document = documents["double"]
    assert not Document.objects.filter(canonical_url__istartswith="javascript").exists()

    claim = make_claim(editor, text="Russia asked China for military assistance.")
    CoverageSuggestion.objects.create(claim=claim, document=document, relevance=0.9,
                                      stance="supports", stance_confidence=0.8)
    for where, page in {
        "feed": reverse("sources:feed_detail", args=[feed.pk]),
        "feeds": reverse("sources:feed_list"),
        "coverage": reverse("coverage:claim_coverage", args=[claim.pk]),
        "inbox": reverse("coverage:inbox"),
    }.items():
        html = assert_escaped(editor_client.get(page), where)
        if where in ("feed", "coverage"):
            assert "Double-encoded alert(1) aid" in html, where


def test_it_rejects_cross_site_posts_even_for_logged_in_editors(editor, hostile_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("claims:note_create", args=[hostile_world.claims["new"].pk]),
                           {"body": "forged"})
    assert response.status_code == 403
