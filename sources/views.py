"""The archive's pages: a source, its snapshots and their raw bodies (feeds are in
``views_feeds``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sources import selectors, services
from sources.validators import is_web_url

# Served with every archived body: no script, no plugins, no loads, and an opaque origin
# even if a browser were to render it.
ARCHIVE_CSP = "default-src 'none'; sandbox"


def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.source_get_for_user(request.user, source_id=source_id)
    snapshots = Paginator(selectors.source_snapshots(source=source), 20).get_page(request.GET.get("page"))
    link_checks = list(selectors.source_link_checks(source=source)[:50])
    return render(request, "sources/snapshot_source.html", {
        "source": source,
        "snapshots": snapshots,
        "link_checks": link_checks,
        # only web links become clickable: a javascript: URL typed elsewhere stays inert text
        "live_url": source.url if is_web_url(source.url) else "",
        "can_archive": request.user.has_perm(selectors.CHANGE_SOURCE),
    })


@require_POST
def source_archive_again(request: HttpRequest, source_id: int) -> HttpResponse:
    """Ask for a fresh snapshot (or retry a failed one) in the background."""
    source = selectors.source_get_for_user(request.user, source_id=source_id, write=True)
    if not source.url:
        messages.error(request, "This source has no link to archive.")
    else:
        services.source_archive_later(source_id=source.pk, force=True)
        # True whether or not the broker is up: the request is recorded with the source.
        messages.success(request, "Archiving queued. It runs as soon as a worker is free (after an "
                                  "outage, when the workers are back); reload this page to see the snapshot.")
    return redirect("sources:source_detail", source_id=source.pk)


def snapshot_detail(request: HttpRequest, source_id: int, snapshot_id: int) -> HttpResponse:
    snapshot = selectors.snapshot_get_for_user(request.user, source_id=source_id, snapshot_id=snapshot_id)
    return render(request, "sources/snapshot_detail.html", {
        "source": snapshot.source,
        "snapshot": snapshot,
        # extraction puts one paragraph per line
        "paragraphs": [line.strip() for line in snapshot.text.splitlines() if line.strip()],
        "is_pdf": snapshot.content_type == "application/pdf",
    })


def snapshot_raw(request: HttpRequest, source_id: int, snapshot_id: int) -> HttpResponse:
    """The archived body, served so it can never run on our origin.

    PDFs download as attachments; everything else (HTML included) is shown as plain
    text, with a sandboxing CSP and nosniff in case a browser second-guesses the type.
    """
    snapshot = selectors.snapshot_get_for_user(request.user, source_id=source_id, snapshot_id=snapshot_id)
    body = selectors.snapshot_raw_body(snapshot)
    filename = f"snapshot-{snapshot.source_id}-{snapshot.pk}"
    if snapshot.content_type == "application/pdf":
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    else:
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="{filename}.txt"'
    response["Content-Security-Policy"] = ARCHIVE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# =========================================================================== feeds
