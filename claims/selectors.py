"""Shared reads for claims, with the permission checks they need.

``claim_queue`` is the one definition of "the claims an editor is looking at": the triage page
renders it and the exports feature reuses it (with ``QueueFilterForm``) for "export this view".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import cached_property

from claims.models import (
    OPEN_STATUSES,
    ActivityEvent,
    ActivityVerb,
    Claim,
    CoverageSuggestion,
    Evidence,
)
from claims.permissions import can_edit_claims
from workbench.http import MARK_START, MARK_STOP


def _count_subquery(queryset) -> Coalesce:
    """A correlated COUNT(*) per claim. Subqueries (not joins + GROUP BY) keep the three counts
    independent and are only evaluated for the rows on the page."""
    counted = (
        queryset.order_by()
        .values("claim_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _latest_activity(field: str):
    return Subquery(
        ActivityEvent.objects.filter(claim_id=OuterRef("pk")).order_by("-at", "-id").values(field)[:1]
    )


def with_queue_annotations(queryset: QuerySet) -> QuerySet:
    """Everything a queue row shows, in the same single query as the rows."""
    return (
        # The search document is large and never shown: leave it out of the wide row sort.
        queryset.defer("search_vector")
        .select_related("assignee")
        .prefetch_related("tags")
        .annotate(
            supporting_count=_count_subquery(
                Evidence.objects.active().filter(claim_id=OuterRef("pk"), stance="supports")
            ),
            denial_count=_count_subquery(
                Evidence.objects.active().filter(claim_id=OuterRef("pk"), is_denial=True)
            ),
            new_coverage_count=_count_subquery(
                CoverageSuggestion.objects.filter(claim_id=OuterRef("pk"), status="suggested")
            ),
            last_activity_verb=_latest_activity("verb"),
            last_activity_at=_latest_activity("at"),
            last_activity_actor=_latest_activity("actor__username"),
        )
    )


SORTS = {
    "priority": ("-priority", "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "activity": (F("last_activity_at").desc(nulls_last=True), "-pk"),
    "relevance": ("-rank", "-priority", "-created_at"),
}


def verb_text(verb: str | None) -> str:
    """How an activity verb reads (the queue's "last activity" column carries the bare code)."""
    if not verb:
        return ""
    try:
        return ActivityVerb(verb).label
    except ValueError:
        return verb


def claim_queue(*, user, params) -> QuerySet:
    """The triage queue for ``user``, filtered and sorted by ``params``.

    ``params`` is a QueryDict (``request.GET``) or a plain dict of the QueueFilterForm fields:
    ``status`` (list; none = the open statuses), ``priority``, ``assignee`` ("me", "unassigned",
    "anyone" or a user id), ``tag`` (name), ``outlet`` (id: any evidence source from it),
    ``logged_from`` / ``logged_to`` (dates, inclusive), ``q`` (websearch syntax full-text
    search), ``sort`` (priority|newest|oldest|activity|relevance). Invalid values are ignored
    field by field, so a mangled shared link still shows something sensible.

    Rows carry supporting_count, denial_count, new_coverage_count, last_activity_verb/_at/_actor
    and, when searching, ``rank`` and ``headline`` (raw; render it with ``workbench.http.highlight_html``).
    Returns ``Claim.objects.none()`` for users who may not see the desk.
    """
    from claims.forms import QueueFilterForm

    if not can_edit_claims(user):
        return Claim.objects.none()
    form = QueueFilterForm(params, user=user, load_choices=False)
    form.is_valid()
    data = form.cleaned_data  # only the fields that validated
    queryset = Claim.objects.all()

    statuses = data.get("status") or list(OPEN_STATUSES)
    queryset = queryset.filter(status__in=statuses)
    if data.get("priority"):
        queryset = queryset.filter(priority=int(data["priority"]))
    assignee = data.get("assignee") or "anyone"
    if assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif assignee == "unassigned":
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee != "anyone":
        queryset = queryset.filter(assignee_id=int(assignee))
    if data.get("tag"):
        queryset = queryset.filter(
            Exists(Claim.tags.through.objects.filter(claim_id=OuterRef("pk"), tag__name=data["tag"]))
        )
    if data.get("outlet"):
        queryset = queryset.filter(
            Exists(
                Evidence.objects.active().filter(claim_id=OuterRef("pk"), source__outlet=data["outlet"])
            )
        )
    if data.get("logged_from"):
        queryset = queryset.filter(created_at__date__gte=data["logged_from"])
    if data.get("logged_to"):
        queryset = queryset.filter(created_at__date__lte=data["logged_to"])

    sort = data.get("sort") or ""
    query_text = (data.get("q") or "").strip()
    if query_text:
        query = SearchQuery(query_text, search_type="websearch", config="english")
        queryset = queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=SearchHeadline(
                "text", query, config="english", start_sel=MARK_START, stop_sel=MARK_STOP,
                highlight_all=True,
            ),
        )
        sort = sort or "relevance"
    elif sort == "relevance":
        sort = "priority"
    queryset = with_queue_annotations(queryset)
    return queryset.order_by(*SORTS.get(sort or "priority", SORTS["priority"]))


class QueuePaginator(Paginator):
    """A paginator whose count stops at ``cap``: counting every open claim costs a scan of
    the whole queue on each page view, and nobody pages through a thousand claims. Below the
    cap the count is exact; above it ``exact`` is False and the page says "more than cap"
    (the count is then ``cap + 1``, so the page after the cap exists and links on)."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Only the ids, unsorted and unannotated: the rows' subqueries are for the page alone.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def exact(self) -> bool:
        return self.count <= self.cap


QUEUE_COUNT_CAP = 1000


def claim_queue_page(queryset: QuerySet, *, per_page: int, page: str | None) -> Page:
    """One page of ``claim_queue`` rows with a count capped at ``QUEUE_COUNT_CAP`` (or just
    past the requested page, for someone who pages that far)."""
    try:
        wanted = max(1, int(page or 1))
    except ValueError:
        wanted = 1
    cap = max(QUEUE_COUNT_CAP, (wanted + 1) * per_page)
    return QueuePaginator(queryset, per_page, cap=cap).get_page(page)


def similar_claims(*, text: str, exclude_id: int | None = None, limit: int = 5) -> list[Claim]:
    """Existing claims that probably restate ``text`` (the intake form's duplicate warning).

    The same ranker that ``similar_eval`` measures on CheckThat! 2022 (BM25 + character
    n-grams, fused): each claim carries ``similarity``, 0..1, where about 0.8 and above
    means the same claim and 0.5 to 0.8 the same claim reworded.
    """
    from claims.corroboration.intake import find_similar_claims
    from claims.models import VerdictVersion

    found = []
    for claim, score in find_similar_claims(text=text, exclude_id=exclude_id, limit=limit):
        claim.similarity = score
        found.append(claim)
    # Our own published fact-checks are prior fact-checks too: say how we rated them.
    published = [c.pk for c in found if c.status == "published"]
    ratings = dict(VerdictVersion.objects.filter(claim_id__in=published, state="approved")
                   .order_by("claim_id", "-number").distinct("claim_id")
                   .values_list("claim_id", "rating_id")) if published else {}
    by_id = _ratings_by_id()
    for claim in found:
        claim.published_rating = by_id.get(ratings.get(claim.pk))
    return found


def _ratings_by_id() -> dict:
    from claims.models import Rating

    return Rating.objects.in_bulk()


def prior_factchecks_for_text(*, text: str, limit: int = 5) -> list:
    """Other publishers' fact-checks of probably the same claim (the intake form's "checked
    elsewhere"), each with ``similarity`` and ``rating``: the rating of our scale its
    publisher's rating means, or None."""
    from claims.corroboration.prior_checks import prior_factchecks_matching

    checks = prior_factchecks_matching(text=text, limit=limit)
    if checks:
        by_label = {r.label: r for r in _ratings_by_id().values()}
        for check in checks:
            check.rating = by_label.get(check.normalised_rating)
    return checks


@dataclass
class CheckedElsewhere:
    """Who has checked this claim already: other publishers' fact-checks (each with ``rating``
    on our scale, ``similarity`` and ``cited``: the claim already cites its page) and claims of
    ours, published, that look like the same claim (each with ``published_rating``)."""

    prior_checks: list
    our_checks: list


def claim_checked_elsewhere(*, claim: Claim, limit: int = 5) -> CheckedElsewhere:
    from sources.fetching import normalise_url

    checks = prior_factchecks_for_text(text=claim.text, limit=limit)
    if checks:
        cited = set(Evidence.objects.active().filter(claim_id=claim.pk)
                    .values_list("source__url", flat=True))
        for check in checks:
            check.cited = normalise_url(check.url) in cited
    ours = [c for c in similar_claims(text=claim.text, exclude_id=claim.pk, limit=limit)
            if c.published_rating is not None]
    return CheckedElsewhere(prior_checks=checks, our_checks=ours)


def _cited_in(state: str) -> Exists:
    from claims.models import VerdictVersion

    return Exists(
        VerdictVersion.cited_evidence.through.objects.filter(
            evidence_id=OuterRef("pk"), verdictversion__state=state
        )
    )


def claim_evidence(*, claim_id: int) -> list[Evidence]:
    """A claim's live evidence with its source (not its extracted text), outlet and latest
    snapshot (id + sha256), and whether the published verdict (``cited_publicly``) or one
    awaiting review (``cited_in_review``) cites it, in one query."""
    from sources.selectors import snapshot_latest

    latest = snapshot_latest("source_id")
    return list(
        Evidence.objects.active()
        .filter(claim_id=claim_id)
        .select_related("source", "source__outlet", "added_by")
        # A source's extracted text can run to tens of kilobytes and the list never shows it.
        .defer("source__text")
        .annotate(
            snapshot_id=Subquery(latest.values("pk")[:1]),
            snapshot_sha256=Subquery(latest.values("sha256")[:1]),
            cited_publicly=_cited_in("approved"),
            cited_in_review=_cited_in("submitted"),
        )
        .order_by("added_at", "pk")
    )


def claim_removed_evidence(*, claim_id: int) -> list[Evidence]:
    """Tombstones: the claim's removed evidence, most recently removed first."""
    return list(
        Evidence.objects.removed()
        .filter(claim_id=claim_id)
        .select_related("source", "source__outlet", "added_by", "removed_by")
        .order_by("-removed_at", "-pk")
    )


def claim_get_for_user(user, pk: int, *, queryset: QuerySet[Claim] | None = None) -> Claim:
    """A claim for a desk user; Http404 for everyone else and for a missing claim (an outsider
    cannot tell whether it exists). A desk user refused a particular change gets 403 from the
    service that refuses it."""
    from django.shortcuts import get_object_or_404

    if not can_edit_claims(user):
        raise Http404("No claim here.")
    return get_object_or_404(Claim.objects.all() if queryset is None else queryset, pk=pk)


def evidence_get_for_user(user, *, claim_id: int, evidence_id: int) -> Evidence:
    """One live evidence item of that claim for a desk user; Http404 for everyone else, for a
    removed item and for an item of another claim (an outsider cannot tell which)."""
    if not can_edit_claims(user):
        raise Http404("No evidence here.")
    evidence = (
        Evidence.objects.active()
        .select_related("source", "source__outlet", "claim", "added_by")
        .filter(pk=evidence_id, claim_id=claim_id)
        .first()
    )
    if evidence is None:
        raise Http404("No evidence here.")
    return evidence


def claim_current_verdict(*, claim_id: int):
    """The published verdict: the latest approved version, or None."""
    from claims.models import VerdictVersion

    return (
        VerdictVersion.objects.filter(claim_id=claim_id, state="approved")
        .select_related("rating")
        .order_by("-number")
        .first()
    )


def claim_activity(*, claim_id: int, limit: int | None = 20):
    events = ActivityEvent.objects.filter(claim_id=claim_id).select_related("actor").order_by("-at", "-id")
    return list(events[:limit] if limit else events)


def claim_activity_count(*, claim_id: int) -> int:
    return ActivityEvent.objects.filter(claim_id=claim_id).count()


# --- Saved views ------------------------------------------------------------------------


def saved_views_for(user) -> QuerySet:
    """The views ``user`` can open: their own and those shared with the desk."""
    from django.db.models import Q

    from claims.models import SavedView

    if not can_edit_claims(user):
        return SavedView.objects.none()
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")


def saved_view_get_for_user(user, view_id: int):
    """A view ``user`` can open; Http404 otherwise (someone else's private view included)."""
    view = saved_views_for(user).filter(pk=view_id).first()
    if view is None:
        raise Http404("No saved view here.")
    return view


def saved_view_count(user, view) -> tuple[int, bool]:
    """How many claims the view shows ``user``, capped like the queue's own count:
    (count, exact); above QUEUE_COUNT_CAP the count is cap + 1 and ``exact`` False."""
    from django.http import QueryDict

    cap = QUEUE_COUNT_CAP
    queryset = claim_queue(user=user, params=QueryDict(view.query))
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return count, count <= cap
