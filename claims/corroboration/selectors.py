"""Reads for coverage: the claim's Coverage tab, the New-coverage inbox, gather progress."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchQueryField
from django.db.models import F, Func, TextField, Value, Window
from django.db.models.aggregates import Max
from django.db.models.functions import Coalesce, Left, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404

from claims.models import CoverageSuggestion, GatherRun
from claims.permissions import can_act_on_coverage
from sources.documents import document_ts_config
from sources.language import language_name
from workbench.http import MARK_START, MARK_STOP, highlight_html

SNIPPET_SOURCE_CHARS = 20_000
CLAIM_TAB_LIMIT = 150
INBOX_PAGE_SIZE = 25
STANCE_GROUPS = (("supports", "Supporting"), ("denies", "Denying"), ("discusses", "Discussing"))


class ClaimOrQuery(Func):
    """The claim's words as an OR tsquery (so the snippet highlights any of them), read in
    the document's language."""

    template = "replace(plainto_tsquery(%(expressions)s)::text, '&', '|')::tsquery"
    output_field = SearchQueryField()


def _with_snippet(queryset):
    config = document_ts_config("document__language")
    source = Left(
        Coalesce(
            NullIf(F("document__text"), Value("")),
            NullIf(F("document__summary"), Value("")),
            F("document__title"),
            output_field=TextField(),
        ),
        SNIPPET_SOURCE_CHARS,
    )
    return queryset.annotate(
        raw_snippet=SearchHeadline(
            source,
            ClaimOrQuery(SearchConfig(config), F("claim__text")),
            config=config,
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=40,
            min_words=18,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


@dataclass
class Story:
    """One story: its best suggestion plus syndicated copies (same fingerprint)."""

    primary: CoverageSuggestion
    copies: list[CoverageSuggestion] = field(default_factory=list)

    @property
    def more_outlets(self) -> int:
        return len(self.copies)


@dataclass
class StanceGroup:
    stance: str
    label: str
    stories: list[Story]


def suggestion_get_for_user(user, *, suggestion_id: int, queryset=None) -> CoverageSuggestion:
    """A suggestion for someone who may act on coverage; 404 for everyone else (an outsider
    does not learn that it exists) and for a missing one."""
    if not can_act_on_coverage(user):
        raise Http404("No such suggestion.")
    return get_object_or_404(CoverageSuggestion.objects.all() if queryset is None else queryset,
                             pk=suggestion_id)


def gather_run_get_for_user(user, *, claim_id: int, run_id: int) -> GatherRun:
    """A gather run of that claim, under the same rule as a suggestion."""
    if not can_act_on_coverage(user):
        raise Http404("No such run.")
    return get_object_or_404(GatherRun.objects.select_related("claim"), pk=run_id, claim_id=claim_id)


def group_into_stories(suggestions) -> list[Story]:
    stories: dict[str, Story] = {}
    for suggestion in suggestions:
        key = suggestion.document.fingerprint or f"document-{suggestion.document_id}"
        if key in stories:
            stories[key].copies.append(suggestion)
        else:
            stories[key] = Story(primary=suggestion)
    return list(stories.values())


def _decorate(suggestion: CoverageSuggestion) -> CoverageSuggestion:
    """The snippet with the claim's words marked; when none of them is in the document (it is
    in another language, or a script PostgreSQL does not split into words) the lead sentence
    the stance model read as closest to the claim is shown marked instead."""
    raw = getattr(suggestion, "raw_snippet", "") or ""
    if MARK_START not in raw and suggestion.passage:
        raw = MARK_START + suggestion.passage + MARK_STOP
    suggestion.snippet = highlight_html(raw)
    language = suggestion.document.language
    suggestion.language_code = language
    suggestion.language_label = language_name(language) if language else ""
    return suggestion


def claim_suggestions(*, claim) -> list[StanceGroup]:
    """Open suggestions for a claim, by stance, wire copies collapsed into one story."""
    suggestions = [
        _decorate(s)
        for s in _with_snippet(
            CoverageSuggestion.objects.filter(claim=claim, status=CoverageSuggestion.Status.SUGGESTED)
            .select_related("document", "document__outlet", "claim")
            .order_by("-relevance", "-stance_confidence", "id")
        )[:CLAIM_TAB_LIMIT]
    ]
    groups = []
    for stance, label in STANCE_GROUPS:
        in_group = [s for s in suggestions if s.stance == stance]
        groups.append(StanceGroup(stance=stance, label=label, stories=group_into_stories(in_group)))
    return groups


def claim_recently_dismissed(*, claim, limit: int = 5):
    return list(
        CoverageSuggestion.objects.filter(claim=claim, status=CoverageSuggestion.Status.DISMISSED)
        .select_related("document", "document__outlet")
        .order_by("-decided_at")[:limit]
    )


def claim_accepted_count(*, claim) -> int:
    return CoverageSuggestion.objects.filter(claim=claim, status=CoverageSuggestion.Status.ACCEPTED).count()


def claim_latest_gather_run(*, claim) -> GatherRun | None:
    return GatherRun.objects.filter(claim=claim).order_by("-created_at").first()


def inbox_suggestions(*, user):
    """Suggestions on claims assigned to ``user``: claims with the newest coverage first,
    each claim's suggestions newest first (the template regroups by claim)."""
    return _with_snippet(
        CoverageSuggestion.objects.filter(
            claim__assignee=user, status=CoverageSuggestion.Status.SUGGESTED
        )
        .select_related("claim", "document", "document__outlet")
        .annotate(claim_latest=Window(Max("created_at"), partition_by=[F("claim_id")]))
        .order_by("-claim_latest", "claim_id", "-created_at", "-id")
    )


def decorate_page(page) -> None:
    for suggestion in page.object_list:
        _decorate(suggestion)
