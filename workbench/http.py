"""The request helpers every app's views share: one way to tell an htmx request, one way to
follow a ``next`` parameter, one way to turn search-highlight markers into ``<mark>``.

Who may see what is decided per entity by the ``*_get_for_user`` fetchers next to each
app's selectors; the rule they follow is written in the README ("Access: 403 or 404").
"""

from __future__ import annotations

from django.http import HttpRequest
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


def highlight_html(raw: str | None) -> SafeString:
    """Safe HTML from text carrying MARK_START/MARK_STOP (a ``SearchHeadline`` made with them
    as its selectors): everything is escaped first, then only our markers become <mark>."""
    escaped = escape(raw or "")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))
