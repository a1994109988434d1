"""Rendered fragments kept between requests: the rows of the desk's long lists.

A list page renders the same rows again and again, and the template engine costs about a
tenth of a millisecond per tag, so a 50-row queue or a 200-item claim spent most of its time
rendering rows that had not changed. Each row's HTML is cached under a digest of every value
its template reads (``shown``), plus the active time zone and language: any change to what
the row shows (an edit, a count, a fetch that finished, "2 hours ago" becoming "3 hours ago")
changes the digest, so a stale row is never served, whatever path changed the data. The cache
is the ``fragments`` alias (per process; losing it costs only a re-render).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

CACHE_SECONDS = 24 * 3600


def fragments_render(items: Iterable[Any], *, template_name: str, shown: Callable[[Any], tuple],
                     context: Callable[[Any], dict]) -> None:
    """Set ``item.html`` on each item: from the cache where ``shown(item)`` is unchanged, else
    rendered with ``template_name`` and ``context(item)`` and cached."""
    items = list(items)
    if not items:
        return
    cache = caches["fragments"]
    where = (template_name, timezone.get_current_timezone_name(), translation.get_language())
    keys = {}
    for item in items:
        digest = hashlib.blake2b(repr((where, shown(item))).encode(), digest_size=16).hexdigest()
        keys[f"fragment:{digest}"] = item
    cached = cache.get_many(list(keys))
    rendered = {}
    template = None
    for key, item in keys.items():
        html = cached.get(key)
        if html is None:
            template = template or get_template(template_name)
            html = rendered[key] = str(template.render(context(item)))
        # Output of the template engine, which escaped what it had to.
        item.html = mark_safe(html)  # noqa: S308
    if rendered:
        cache.set_many(rendered, CACHE_SECONDS)
