"""Public fact-check pages and their ClaimReview markup. No login; only published claims."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from claims.models import Stance
from claims.reviewing import claimreview, selectors
from claims.reviewing.markdown import render_markdown

PAGE_SIZE = 20
FEED_PAGE_SIZE = 50


def _published_or_404(slug: str):
    claim = selectors.public_claim_by_slug(slug)
    if claim is None or not claim.approved_versions:
        raise Http404("No published fact-check here.")
    return claim, claim.approved_versions[0]


@login_not_required
@require_GET
def fact_check_list(request):
    claims = selectors.with_public_verdicts(selectors.published_claims())
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    for claim in page:
        claim.verdict = claim.approved_versions[0] if claim.approved_versions else None
        if claim.verdict:
            claim.verdict.rating.ink = selectors.ink_for(claim.verdict.rating.colour)
    return render(request, "public/list.html", {"page": page, "nav": "public"})


@login_not_required
@require_GET
def fact_check_detail(request, slug: str):
    claim, version = _published_or_404(slug)
    cited = list(version.cited_evidence.all())
    snapshots = selectors.cited_snapshots(version)
    for evidence in cited:
        evidence.latest_snapshot = snapshots.get(evidence.source_id)
    version.rating.ink = selectors.ink_for(version.rating.colour)
    data = claimreview.claimreview_for(claim)
    return render(
        request,
        "public/detail.html",
        {
            "nav": "public",
            "claim": claim,
            "version": version,
            "summary": render_markdown(version.summary_md),
            "cited": [e for e in cited if e.stance != Stance.DENIES],
            "denials": [e for e in cited if e.stance == Stance.DENIES],
            "corrections": selectors.corrections_for(claim),
            "claimreview_json": claimreview.json_for_script(data),
            "public_url": claimreview.public_url(claim),
        },
    )


@login_not_required
@require_GET
def fact_check_archived_copy(request, slug: str, snapshot_id: int):
    """The archived copy of a source the published verdict cites: extracted text, SHA-256,
    fetch time and final URL. Any other snapshot, and anything unpublished, is a 404."""
    from sources.selectors import snapshot_for_display

    claim, version = _published_or_404(slug)
    cited = {s.pk: s for s in selectors.cited_snapshots(version).values()}
    if snapshot_id not in cited:
        raise Http404("No archived copy here.")
    snapshot = snapshot_for_display(snapshot_id=snapshot_id)
    return render(
        request,
        "public/archived_copy.html",
        {
            "nav": "public",
            "claim": claim,
            "version": version,
            "snapshot": snapshot,
            "source": snapshot.source,
            "paragraphs": [line.strip() for line in snapshot.text.splitlines() if line.strip()],
        },
    )


def _json(data, status=200) -> JsonResponse:
    return JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type="application/ld+json; charset=utf-8",
    )


@login_not_required
@require_GET
def fact_check_claimreview(request, slug: str):
    claim, _ = _published_or_404(slug)
    return _json(claimreview.claimreview_for(claim))


@login_not_required
@require_GET
def claimreview_feed(request):
    """Every published ClaimReview, newest first, ``?page=N`` with next/previous links."""
    claims = selectors.with_public_verdicts(selectors.published_claims(), corrections=True)
    paginator = Paginator(claims, FEED_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    bounds = selectors.rating_scale_bounds()
    base = request.build_absolute_uri(reverse("public:feed"))

    def link(number):
        return f"{base}?page={number}"

    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [
                review
                for review in (claimreview.claimreview_for(c, bounds=bounds) for c in page)
                if review is not None
            ],
        }
    )


def ratings_css_text() -> str:
    """One class per rating with its Admin-chosen colour (and readable ink on it): pages
    use ``rating--<id>`` instead of an inline style, so the CSP needs no 'unsafe-inline'."""
    from claims.models import Rating
    from claims.reviewing.selectors import ink_for

    rules = []
    for pk, colour in Rating.objects.order_by("pk").values_list("pk", "colour"):
        if re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):  # also guaranteed by a constraint
            rules.append(f".rating--{pk} {{ background: {colour}; color: {ink_for(colour)}; }}")
    return "\n".join(rules) + "\n"


@login_not_required
@require_GET
def ratings_stylesheet(request):
    response = HttpResponse(ratings_css_text(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
