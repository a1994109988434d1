"""Feed pages (editors) and the public demo feed. Thin views: check, validate, call a service."""

from __future__ import annotations

import hashlib
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sources import demo_feed
from sources.documents import documents_with_group_size
from sources.feeds import (
    FeedAlreadyExists,
    feed_add,
    feed_health,
    feed_request_poll,
    feed_set_active,
)
from sources.models import Document, Feed, FeedKind, FeedPoll
from sources.selectors import feed_get_for_user, require_feed_viewer
from workbench.http import is_htmx, safe_next

FEEDS_PER_PAGE = 25


class FeedAddForm(forms.Form):
    url = forms.CharField(label="Feed address", max_length=2000, required=False,
                          help_text="The RSS or Atom URL. Leave empty for a search query.",
                          widget=forms.URLInput(attrs={"placeholder": "https://example.org/feed.xml"}))
    kind = forms.ChoiceField(choices=FeedKind.choices, initial=FeedKind.RSS)
    query = forms.CharField(max_length=500, required=False,
                            help_text="Only for GDELT and Fact Check searches.")
    outlet_name = forms.CharField(label="Outlet", max_length=200, required=False,
                                  help_text="Optional: the outlet that publishes this feed.")
    interval_minutes = forms.IntegerField(label="Poll every (minutes)", min_value=1, initial=30)


def _feeds_for_list():
    last_poll = FeedPoll.objects.filter(feed=OuterRef("pk")).order_by("-started_at")
    return (
        Feed.objects.select_related("outlet")
        .annotate(
            documents_count=Coalesce(
                Subquery(Document.objects.filter(feed=OuterRef("pk")).order_by().values("feed")
                         .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
                Value(0),
            ),
            last_poll_status=Subquery(last_poll.values("status")[:1]),
            last_poll_problems=Subquery(
                last_poll.annotate(n=Func(F("problems"), function="jsonb_array_length",
                                           output_field=IntegerField())).values("n")[:1],
                output_field=IntegerField(),
            ),
        )
        .order_by("title", "url")
    )


def _feed_rows(page_feeds):
    return [{"feed": feed, "health": feed_health(feed)} for feed in page_feeds]


@require_http_methods(["GET", "POST"])
def feed_list(request):
    require_feed_viewer(request.user)
    form = FeedAddForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                feed = feed_add(actor=request.user, **form.cleaned_data)
            except FeedAlreadyExists as exc:
                messages.info(request, f"{exc.messages[0]} Nothing was added.")
                return redirect("sources:feed_detail", feed_id=exc.feed.pk)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, f"Feed added: {feed}. It will be polled within a minute.")
                return redirect("sources:feed_list")
    page = Paginator(_feeds_for_list(), FEEDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sources/feed_list.html", {
        "nav": "feeds", "form": form, "page": page, "rows": _feed_rows(page.object_list),
        "can_manage": request.user.has_perm("sources.change_feed"),
    }, status=400 if request.method == "POST" else 200)


def feed_detail(request, feed_id: int):
    feed = feed_get_for_user(request.user, feed_id=feed_id, queryset=Feed.objects.select_related("outlet"))
    polls = list(feed.polls.order_by("-started_at")[:20])
    documents = list(
        documents_with_group_size(feed.documents.select_related("outlet"))
        .order_by("-published_at", "-created_at")[:30]
    )
    return render(request, "sources/feed_detail.html", {
        "nav": "feeds", "feed": feed, "health": feed_health(feed), "polls": polls,
        "documents": documents, "documents_total": feed.documents.count(),
        "can_manage": request.user.has_perm("sources.change_feed"),
    })


def _row_response(request, feed, message: str):
    """htmx gets the refreshed row; a plain POST gets a redirect with a message."""
    if is_htmx(request):
        feed = _feeds_for_list().get(pk=feed.pk)
        return render(request, "sources/feed_list.html#feed_row", {
            "row": {"feed": feed, "health": feed_health(feed)},
            "can_manage": True, "flash": message,
        })
    messages.success(request, message)
    return redirect(safe_next(request, reverse("sources:feed_list")))


@require_POST
def feed_toggle(request, feed_id: int):
    feed_get_for_user(request.user, feed_id=feed_id)
    active = request.POST.get("active") == "1"
    feed = feed_set_active(actor=request.user, feed_id=feed_id, active=active)
    return _row_response(request, feed, f"{feed} {'resumed' if active else 'paused'}.")


@require_POST
def feed_poll_now(request, feed_id: int):
    feed_get_for_user(request.user, feed_id=feed_id)
    try:
        feed = feed_request_poll(actor=request.user, feed_id=feed_id)
    except ValidationError as exc:
        feed = Feed.objects.get(pk=feed_id)
        if is_htmx(request):
            return _row_response(request, feed, exc.messages[0])
        messages.error(request, exc.messages[0])
        return redirect("sources:feed_list")
    return _row_response(request, feed, f"{feed}: poll queued. Refresh in a moment for the result.")


# --------------------------------------------------------------------------- the demo feed


class _DemoRss(Rss201rev2Feed):
    """RSS 2.0 with <source url="..."> naming each item's (fictional) outlet."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("source_url"):
            handler.addQuickElement("source", item["source_name"], {"url": item["source_url"]})


def _debug_only(view):
    """The demo feed exists for the demo newsroom (debug only): elsewhere it is not there."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DEBUG:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


@login_not_required
@require_GET
@_debug_only
def demo_claimreview_json(request):
    """The demo fact-checker's ClaimReview feed (fictional publisher), for the demo newsroom."""
    from sources.factchecks.demo import demo_claimreview_feed

    return JsonResponse(demo_claimreview_feed(), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
@_debug_only
def demo_feed_rss(request):
    base = request.build_absolute_uri("/").rstrip("/")
    feed = _DemoRss(
        title=demo_feed.DEMO_FEED_TITLE, link=base + "/demo-feed/seed-story.xml",
        description="Demo items about the seed story. All outlets are fictional.", language="en",
    )
    for item in demo_feed.DEMO_ITEMS:
        link = f"{base}/demo-feed/articles/{item.slug}/"
        feed.add_item(title=item.title, link=link, description=item.lede, pubdate=item.published_at,
                      unique_id=link, unique_id_is_permalink=True,
                      source_name=item.outlet_name, source_url=f"https://{item.outlet_domain}/")
    body = feed.writeString("utf-8").encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/rss+xml; charset=utf-8")
    response["ETag"] = etag
    return response


@login_not_required
@require_GET
@_debug_only
def demo_article(request, slug: str):
    item = demo_feed.demo_item(slug)
    if item is None:
        raise Http404("No such demo article.")
    return render(request, "sources/demo_article.html", {"item": item})
