"""Verdict summaries in reports use the verdict pages' renderer (Markdown, then an nh3
allow-list), so a report never shows a summary differently from the verdict page."""

from claims.reviewing.markdown import render_markdown as render_summary  # noqa: F401
