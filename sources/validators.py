"""Validators for what we store about the outside world.

Every stored URL (a claim's "where it was said", a source, a feed, a document, a snapshot)
must be a web address: http or https with a host. ``javascript:``, ``data:``, ``file:`` and
every other scheme are refused, because a stored URL ends up as a link someone clicks.
Models attach these as field validators (so the admin and model forms refuse them), and the
services call them on every other write path.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

WEB_SCHEMES = ("http", "https")
# A bare host name: labels of letters, digits and hyphens (IDN in punycode), dot-separated.
# (Labels may run past DNS's 63 characters: outlets known only by name get a long placeholder
# under .invalid.)
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]{2,63}$")


def is_web_url(value) -> bool:
    """True for an absolute http(s) URL with a host and nothing that could break out of it."""
    if not isinstance(value, str) or not value or value != value.strip():
        return False
    if any(ord(c) < 33 or c in "<>\"'`\\" for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def validate_web_url(value) -> None:
    """Model-field validator: empty is left to ``blank``; anything else must be a web address."""
    if value in (None, ""):
        return
    if not is_web_url(value):
        scheme = urlsplit(str(value)).scheme.lower() if ":" in str(value) else ""
        if scheme and scheme not in WEB_SCHEMES:
            message = (
                f"“{scheme}:” links are not allowed: only web addresses starting with "
                "http:// or https:// can be stored."
            )
        else:
            message = "Enter a web address starting with http:// or https:// (e.g. https://example.org/page)."
        raise ValidationError(message, code="web_url")


def is_domain(value) -> bool:
    """A bare host name such as reuters.com (never a URL, a path or a scheme)."""
    return isinstance(value, str) and bool(_DOMAIN.match(value.strip().lower()))


def validate_domain(value) -> None:
    """Model-field validator for an outlet's domain."""
    if not is_domain(value):
        raise ValidationError(
            "Enter the outlet's domain only, such as reuters.com (no http://, no path).",
            code="domain",
        )
