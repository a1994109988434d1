"""Every stored URL is a web address. javascript:, data:, file: and the rest are refused with a
clear error in every entry point (desk forms, services, commands, ingestion, the admin), and a
bad URL already in the database is never rendered as a link."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims import services
from claims.models import Claim, Evidence
from sources.connectors.base import FeedItem
from sources.documents import documents_upsert
from sources.models import Document, Feed, Outlet, Source
from sources.validators import is_web_url, validate_domain, validate_web_url
from tests.factories import SourceFactory, make_claim, walk_claim_to

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "ftp://files.example/report.pdf",
    "//evil.example/path",
    "https://",
    'https://x.example/"><script>alert(1)</script>',
]


@pytest.mark.parametrize("url", HOSTILE)
def test_the_validator_refuses_every_non_web_address(url):
    assert not is_web_url(url)
    with pytest.raises(ValidationError):
        validate_web_url(url)


@pytest.mark.parametrize("url", ["https://www.state.gov/briefing", "http://news.example/a?b=c#d",
                                 "https://xn--80ak6aa92e.com/"])
def test_the_validator_takes_web_addresses(url):
    assert is_web_url(url)
    validate_web_url(url)


def test_the_scheme_is_named_in_the_message():
    with pytest.raises(ValidationError) as caught:
        validate_web_url("javascript:alert(1)")
    assert "“javascript:” links are not allowed" in caught.value.messages[0]


@pytest.mark.parametrize("domain", ["javascript:alert(1)", "https://reuters.com", "reuters.com/world", "a b.com", ""])
def test_an_outlet_domain_is_a_bare_host_name(domain):
    with pytest.raises(ValidationError, match="domain only"):
        validate_domain(domain)


# --- Desk forms and services -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://x.example/f"])
def test_the_intake_form_refuses_it(editor_client, url):
    response = editor_client.post(reverse("claims:claim_new"), {
        "text": "A claim", "claimant": "Someone", "claimant_kind": "person", "priority": "2", "said_url": url,
    })
    assert response.status_code == 400
    assert "links are not allowed" in response.content.decode() or "web address" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_edit_form_refuses_it(editor_client, editor):
    claim = make_claim(editor)
    response = editor_client.post(reverse("claims:claim_edit", args=[claim.pk]), {
        "text": claim.text, "claimant": claim.claimant, "claimant_kind": claim.claimant_kind,
        "priority": "2", "revision": claim.revision, "said_url": "javascript:alert(1)",
    })
    assert response.status_code == 400
    assert "“javascript:” links are not allowed" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).said_url == ""


def test_the_services_refuse_it_whoever_calls_them(editor):
    with pytest.raises(ValidationError):
        make_claim(editor, said_url="javascript:alert(1)")
    claim = make_claim(editor)
    with pytest.raises(ValidationError):
        services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=claim.revision,
                              said_url="data:text/html,x")
    with pytest.raises(ValidationError, match="http and https"):
        services.evidence_attach_url(actor=editor, claim_id=claim.pk, url="javascript:alert(1)",
                                     stance="supports")
    assert not Source.objects.exists()


@pytest.mark.parametrize("form, field_prefix", [("evidence_attach", "url"), ("denial_record", "url")])
def test_the_evidence_forms_refuse_it(editor_client, editor, form, field_prefix):
    claim = walk_claim_to(make_claim(editor), "researching", actor=editor)
    data = {"url": "javascript:alert(1)", "stance": "supports", "speaker": "Ministry",
            "quote": "We deny it"}
    response = editor_client.post(reverse(f"claims:{form}", args=[claim.pk]), data)
    assert "Only http and https links" in response.content.decode()
    assert not Evidence.objects.exists() and not Source.objects.exists()


def test_the_feed_form_and_command_refuse_it(editor_client):
    response = editor_client.post(reverse("sources:feed_list"), {
        "url": "javascript:alert(1)", "kind": "rss", "interval_minutes": "30",
    })
    assert "http:// or https://" in response.content.decode()
    with pytest.raises(CommandError, match="http"):
        call_command("feed_add", "file:///etc/passwd", stdout=io.StringIO())
    assert not Feed.objects.exists()


def test_the_fetch_command_refuses_it():
    with pytest.raises(CommandError):
        call_command("source_fetch", "javascript:alert(1)", stdout=io.StringIO())
    assert not Source.objects.exists()


def test_ingestion_skips_items_that_are_not_web_links():
    result = documents_upsert(items=[
        FeedItem(url="javascript:alert(1)", title="Hostile"),
        FeedItem(url="https://news.example/fine", title="Fine", outlet_domain="javascript:alert(1)"),
    ])
    assert list(Document.objects.values_list("canonical_url", flat=True)) == ["https://news.example/fine"]
    assert any("not an http(s) link" in problem for problem in result.problems)
    assert not Outlet.objects.exists()


# --- The admin ------------------------------------------------------------------------------------


def _admin_post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 200, "the admin should re-show the form with its error"
    return response.content.decode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_the_admin_refuses_it_for_sources_feeds_and_documents(client, admin_user, url):
    client.force_login(admin_user)
    page = _admin_post(client, reverse("admin:sources_source_add"), {
        "url": url, "title": "T", "kind": "article", "description": "",
    })
    assert "only web addresses" in page or "web address starting with" in page
    page = _admin_post(client, reverse("admin:sources_feed_add"), {
        "url": url, "query": "", "title": "F", "kind": "rss", "interval_minutes": "30", "is_active": "on",
    })
    assert "only web addresses" in page or "web address starting with" in page
    document = Document.objects.create(canonical_url="https://news.example/doc", title="Doc")
    page = _admin_post(client, reverse("admin:sources_document_change", args=[document.pk]), {
        "canonical_url": url, "title": "Doc", "summary": "", "text": "", "author": "", "language": "",
        "fingerprint": "",
    })
    assert "only web addresses" in page or "web address starting with" in page
    assert not Source.objects.exists() and not Feed.objects.exists()
    assert Document.objects.get(pk=document.pk).canonical_url == "https://news.example/doc"


def test_the_admin_refuses_a_url_as_an_outlet_domain(client, admin_user):
    client.force_login(admin_user)
    page = _admin_post(client, reverse("admin:sources_outlet_add"), {
        "name": "Evil", "domain": "javascript:alert(1)", "kind": "other", "country": "",
    })
    assert "domain only" in page
    assert not Outlet.objects.exists()


def test_the_admin_offers_no_url_field_on_claims(client, admin_user, editor):
    claim = make_claim(editor, said_url="https://www.state.gov/briefing")
    client.force_login(admin_user)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'name="said_url"' not in page
    client.post(reverse("admin:claims_claim_change", args=[claim.pk]), {"said_url": "javascript:alert(1)"})
    assert Claim.objects.get(pk=claim.pk).said_url == "https://www.state.gov/briefing"


# --- Rows from before the rule are never links ------------------------------------------------------


def test_old_bad_rows_are_shown_as_text_never_as_links(client, editor, editor_client, reviewer):
    from tests.factories import publish_claim

    claim = walk_claim_to(make_claim(editor), "researching", actor=editor)
    source = SourceFactory(url="https://news.example/ok")
    services.evidence_add(actor=editor, claim_id=claim.pk, source=source, stance="denies",
                          speaker="Ministry", speaker_is_party=True)
    claim = publish_claim(claim, author=editor, reviewer=reviewer)
    # Written before validation existed (or by hand in the database).
    Claim.objects.filter(pk=claim.pk).update(said_url="javascript:alert('said')")
    Source.objects.filter(pk=source.pk).update(url="javascript:alert('source')")
    pages = [
        editor_client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode(),
        editor_client.get(reverse("exports:claim_report", args=[claim.pk])).content.decode(),
        client.get(reverse("public:detail", args=[claim.slug])).content.decode(),
    ]
    for page in pages:
        assert 'href="javascript:' not in page.lower()
    markup = client.get(reverse("public:claimreview", args=[claim.slug])).json()
    assert "javascript:" not in str(markup)
