"""The request helpers every app's views share: one way to tell an htmx request, one way to
follow a ``next`` parameter, one way to turn search-highlight markers into ``<mark>``.

Who may see what is decided per entity by the ``*_get_for_user`` fetchers next to each
app's selectors; the rule they follow is written in the README ("Access: 403 or 404").
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe

# Search-headline markers: private-use characters that never come out of escape() and that
# no real text carries, so they can be swapped for <mark> after the rest has been escaped.
MARK_START = "\ue000"
MARK_STOP = "\ue001"


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (it always sends ``HX-Request: true``).

    Anything else, a plain form POST or a link, gets the full page or a redirect, so every
    interaction also works without JavaScript.
    """
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go back to after a form: ``next`` (POST, else GET) when it is a path on this
    site, otherwise ``fallback``. ``next`` is user input: never another host or scheme."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# Ids no row has (the int converter takes them), replaced by each row's own.
_ROW_ID = 2_147_483_640


def row_url(viewname: str, *fixed: int, row_args: int = 1) -> Callable[..., str]:
    """``{% url %}`` for a hot list: reverse once, then fill in each row's ids (the last
    ``row_args`` arguments of the route).
    ``row_url("claims:evidence_edit", claim.pk)(item.pk)``,
    ``row_url("sources:snapshot_detail", row_args=2)(source_id, snapshot_id)``."""
    markers = [str(_ROW_ID + i) for i in range(row_args)]
    pattern = reverse(viewname, args=[*fixed, *(_ROW_ID + i for i in range(row_args))])

    def url_for(*row_ids: int) -> str:
        url = pattern
        for marker, row_id in zip(markers, row_ids, strict=True):
            url = url.replace(marker, str(int(row_id)), 1)
        return url

    return url_for


def highlight_html(raw: str | None) -> SafeString:
    """Safe HTML from text carrying MARK_START/MARK_STOP (a ``SearchHeadline`` made with them
    as its selectors): everything is escaped first, then only our markers become <mark>."""
    escaped = escape(raw or "")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))
