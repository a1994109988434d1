"""The claim page's evidence items, each rendered once until something it shows changes (see
``claims.views.fragments``): a claim can carry hundreds of items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claims.views.fragments import fragments_render

ITEM_TEMPLATE = "claims/claim_detail.html#evidence_item"


def evidence_items_render(items: Iterable[Any], *, correction_url: str) -> None:
    """Set ``item.html`` on each item (its links and annotations already set)."""

    def shown(item) -> tuple:
        source = item.source
        outlet = source.outlet
        return (
            item.pk, item.revision, item.stance, item.speaker, item.speaker_is_party, item.stated_on,
            item.stated_where, item.quote, item.note, item.added_at, item.added_by.get_username(),
            item.cited, item.edit_url, item.remove_url, getattr(item, "snapshot_url", ""),
            item.snapshot_id, item.snapshot_sha256, correction_url,
            source.pk, source.url, source.title, source.kind, source.description, source.published_at,
            source.fetch_status, source.fetch_error, source.link_status,
            outlet.name if outlet is not None else None,
        )

    fragments_render(items, template_name=ITEM_TEMPLATE, shown=shown,
                     context=lambda item: {"e": item, "correction_url": correction_url})
