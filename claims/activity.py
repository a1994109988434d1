"""The activity log: one row per state change, and how its rows read on a page.

Writes: ``activity_record`` (services call it inside their transaction); it also records
the webhook events the row means (``claims.webhooks.events``), in that transaction. An edit records
``changes``: ``{field: {"old": value, "new": value}}`` with JSON values (dates as ISO text,
tags as a sorted list), built by ``field_changes``.

Reads: ``activity_rows`` turns events into rows a template can show, each with its changes
as a readable diff (``FieldChange``), for the claim page's timeline and the claim report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from claims.models import ActivityEvent, ActivityVerb

# How each recorded field is named on the page, and how a stored value reads.
FIELD_LABELS = {
    "text": "Claim",
    "claimant": "Claimant",
    "claimant_kind": "Claimant is a",
    "said_url": "Where it was said (URL)",
    "said_where": "Where it was said",
    "said_on": "When it was said",
    "priority": "Priority",
    "tags": "Tags",
    "stance": "Stance",
    "speaker": "Speaker",
    "speaker_is_party": "Speaker is a party to the claim",
    "quote": "Quote",
    "note": "Note",
    "stated_on": "Said on",
    "stated_where": "Said where",
}
# Text this long (or spanning lines) is shown as a word diff rather than "old → new".
WORD_DIFF_MIN_CHARS = 60


# How the change reached us when not through the desk's pages: "api" for the open API. Set
# for a request by ``activity_channel``; recorded as details["via"] on every row it writes.
_channel: ContextVar[str] = ContextVar("activity_channel", default="")


@contextmanager
def activity_channel(name: str) -> Iterator[None]:
    """Every activity row written inside says it came ``via`` ``name`` (e.g. "api")."""
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


def activity_record(*, actor, verb: ActivityVerb, claim=None, **details) -> ActivityEvent:
    """Write one activity row. ``verb`` must be one of ActivityVerb: a word outside the
    vocabulary is a programming error and raises ValueError before anything is saved."""
    if _channel.get():
        details["via"] = _channel.get()
    event = ActivityEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=ActivityVerb(verb).value,
        claim=claim,
        details=details,
    )
    # Webhook events, in this same transaction (claims.webhooks.events maps verbs to types).
    from claims.webhooks.events import webhook_events_for_activity

    webhook_events_for_activity(verb=event.verb, details=details, claim_id=event.claim_id, actor=actor)
    return event


def json_value(value):
    """A field value as the log stores it: dates as ISO text, sets and tuples as sorted lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return sorted(value)
    return value


def field_changes(before: dict, after: dict) -> dict:
    """``{field: {"old": …, "new": …}}`` for each field of ``after`` whose value differs
    from ``before``, with values made JSON-ready."""
    changes = {}
    for name, new in after.items():
        old_value, new_value = json_value(before.get(name)), json_value(new)
        if old_value != new_value:
            changes[name] = {"old": old_value, "new": new_value}
    return changes


# --- Reading the log ---------------------------------------------------------------------


@dataclass
class FieldChange:
    """One changed field, ready to show: ``old`` and ``new`` as text, and for long text a
    word diff (``segments``: (kind, text) with kind "same" | "removed" | "added")."""

    name: str
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]] = field(default_factory=list)


def _choice_labels() -> dict[str, dict]:
    from claims.models import ClaimantKind, Priority, Stance

    return {
        "claimant_kind": dict(ClaimantKind.choices),
        "priority": {str(k): v for k, v in Priority.choices},
        "stance": dict(Stance.choices),
    }


def display_value(name: str, value) -> str:
    """How a stored value reads: choice labels, "yes"/"no", dates as "3 Mar 2022"."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    labels = _choice_labels().get(name)
    if labels is not None:
        return str(labels.get(str(value), value))
    if name in ("said_on", "stated_on") and isinstance(value, str):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{parsed.day} {parsed:%b %Y}"
    return str(value)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff of two texts: [(kind, text)], whitespace kept with its word."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            segments.append(("removed", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            segments.append(("added", "".join(b[j1:j2])))
    return segments


def describe_changes(changes: dict) -> list[FieldChange]:
    rows = []
    for name, values in (changes or {}).items():
        if not isinstance(values, dict):
            continue
        old = display_value(name, values.get("old"))
        new = display_value(name, values.get("new"))
        row = FieldChange(name=name, label=FIELD_LABELS.get(name, name.replace("_", " ")), old=old, new=new)
        if (
            isinstance(values.get("old"), str)
            and isinstance(values.get("new"), str)
            and old and new
            and (max(len(old), len(new)) >= WORD_DIFF_MIN_CHARS or "\n" in old + new)
        ):
            row.segments = word_diff(old, new)
        rows.append(row)
    return rows


def activity_rows(events) -> list[ActivityEvent]:
    """The events, each given ``changes`` (a list of FieldChange) for the template."""
    events = list(events)
    for event in events:
        event.changes = describe_changes((event.details or {}).get("changes"))
    return events
