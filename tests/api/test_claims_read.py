"""Reading claims through the API: the queue's filters, search and sorts (the same
``claim_queue`` as the page), cursor pages that never skip or repeat a claim, clear problems
for bad input, the ETag, and the per-token rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import selectors, services
from claims.models import Claim
from tests.api.conftest import make_token, token_client
from tests.factories import make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor):
    return token_client(make_token(editor, scope="read"))


def _all_pages(api, params: dict) -> tuple[list[int], int]:
    ids, pages = [], 0
    url = reverse("api:claim_list")
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        pages += 1
        if not body["next"]:
            return ids, pages
        assert body["next"].startswith("http://testserver/api/v1/claims/?")
        response = api.get(body["next"])


def test_the_list_is_the_queue_page_s_view(api, editor, editor2):
    mine = make_claim(editor, text="Beijing denied the request for aid.", claimant="MFA")
    services.claim_assign(actor=editor, claim_id=mine.pk, assignee=editor)
    services.claim_set_priority(actor=editor, claim_id=mine.pk, priority=4)
    other = make_claim(editor2, text="Moscow asked for drones.", claimant="Officials")
    walk_claim_to(other, "triaged", actor=editor2)
    closed = make_claim(editor, text="A rejected claim about aid.", claimant="Someone")
    services.claim_reject(actor=editor, claim_id=closed.pk, reason="Not checkable")

    def ids(**params):
        response = api.get(reverse("api:claim_list"), params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [mine.pk, other.pk]  # open claims, by priority
    assert ids(assignee="me") == [mine.pk]
    assert ids(status="triaged") == [other.pk]
    assert set(ids(status=["rejected", "new"])) == {mine.pk, closed.pk}
    assert ids(sort="oldest") == [mine.pk, other.pk]
    assert ids(sort="newest") == [other.pk, mine.pk]
    assert ids(priority=4) == [mine.pk]
    # The same rows, in the same order, as the queue page's selector.
    page_ids = [c.pk for c in selectors.claim_queue(user=editor, params={"sort": "newest"})]
    assert ids(sort="newest") == page_ids


def test_search_ranks_and_highlights(api, editor):
    hit = make_claim(editor, text="Beijing denied sending <b>drones</b>.", claimant="MFA")
    make_claim(editor, text="Unrelated budget claim.", claimant="Treasury")
    response = api.get(reverse("api:claim_list"), {"q": "drones"})
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [hit.pk]
    assert rows[0]["search_rank"] > 0
    assert "<mark>drones</mark>" in rows[0]["search_headline"]
    assert "&lt;b&gt;" in rows[0]["search_headline"]  # the claim's own markup is escaped


def test_a_row_carries_what_the_queue_shows(api, editor):
    claim = make_claim(editor, tags=["aid", "china"])
    row = api.get(reverse("api:claim_list")).json()["results"][0]
    assert row["id"] == claim.pk
    assert row["url"] == reverse("api:claim_detail", args=[claim.pk])
    assert row["desk_url"] == reverse("claims:claim_detail", args=[claim.pk])
    assert row["tags"] == ["aid", "china"] and row["created_by"] == editor.username
    assert row["supporting_count"] == 0 and row["denial_count"] == 0
    assert row["last_activity"]["verb"] == "logged"
    assert row["last_activity"]["actor"] == editor.username
    assert row["public_url"] is None and row["search_headline"] is None


@pytest.mark.parametrize("sort", ["priority", "newest", "oldest", "activity"])
def test_cursor_pages_walk_every_claim_once_through_ties(api, editor, sort):
    """Thirty claims, most of them sharing a priority and some a creation time: pages of 7
    give each claim exactly once, in the order of the unpaged list."""
    claims = [make_claim(editor, text=f"Claim number {n}") for n in range(30)]
    for claim in claims[:4]:
        services.claim_set_priority(actor=editor, claim_id=claim.pk, priority=3)
    same_moment = timezone.now() - timedelta(days=1)
    Claim.objects.filter(pk__in=[c.pk for c in claims[10:20]]).update(created_at=same_moment)
    whole = [c.pk for c in selectors.claim_queue(user=editor, params={"sort": sort})]
    ids, pages = _all_pages(api, {"sort": sort, "page_size": 7})
    assert ids == whole and len(ids) == 30 and pages == 5


def test_cursor_pages_of_a_search_follow_the_rank(api, editor):
    for n in range(12):
        make_claim(editor, text="drones " * (1 + n % 4) + f"claim {n}")
    whole = [c.pk for c in selectors.claim_queue(user=editor, params={"q": "drones"})]
    ids, pages = _all_pages(api, {"q": "drones", "page_size": 5})
    assert ids == whole and len(ids) == 12 and pages == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "sleeping"}, "status"),
        ({"priority": "9"}, "priority"),
        ({"assignee": "somebody"}, "assignee"),
        ({"logged_from": "yesterday"}, "logged_from"),
        ({"sort": "random"}, "sort"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "5000"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_list_parameters_are_problems_naming_the_field(api, editor, params, field):
    make_claim(editor)
    response = api.get(reverse("api:claim_list"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/api/v1/problems/validation"
    assert problem["status"] == 400 and problem["title"] and field in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == [field]
    assert problem["errors"][0]["message"]


def test_a_cursor_from_another_sort_is_refused(api, editor):
    for n in range(3):
        make_claim(editor, text=f"Claim {n}")
    first = api.get(reverse("api:claim_list"), {"page_size": 1, "sort": "newest"}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    response = api.get(reverse("api:claim_list"), {"cursor": cursor, "sort": "oldest"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_reading_one_claim_gives_its_revision_as_etag(api, editor):
    claim = make_claim(editor)
    claim = walk_claim_to(claim, "triaged", actor=editor)
    response = api.get(reverse("api:claim_detail", args=[claim.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == claim.pk and body["status"] == "triaged"
    assert response["ETag"] == f'"{claim.revision}"' and body["revision"] == claim.revision


def test_each_token_has_its_own_rate_limit(settings, editor, editor2):
    settings.API_RATE_LIMIT = "3/minute"
    first, second = (token_client(make_token(u, name=f"rate {u.pk}")) for u in (editor, editor2))
    url = reverse("api:claim_list")
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get(url)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["type"] == "/api/v1/problems/rate-limited"
    assert second.get(url).status_code == 200  # another token is not held back
