"""Markdown → safe HTML for verdict summaries in reports.

The verdicts engineer owns the canonical renderer (claims.reviewing.markdown). Reports use it
when it exists, so a report never shows a summary differently from the verdict page; until
then this small local renderer applies the same rule: Markdown first, then an nh3 allow-list,
so raw HTML or script typed into a summary can never reach a report or the PDF.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

# Text formatting and links only. No images: WeasyPrint would try to fetch them while
# rendering the PDF, and a summary has no business pulling in remote content.
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h3", "h4", "h5", "h6", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown_locally(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 — nh3 has just sanitised it


def render_summary(text: str) -> SafeString:
    """Render a verdict summary with the shared renderer when present, else the local one."""
    try:
        from claims.reviewing.markdown import render_markdown
    except ImportError:
        return render_markdown_locally(text)
    return mark_safe(str(render_markdown(text)))  # noqa: S308 — that renderer sanitises
