"""Durable follow-up work: what a change must cause later survives a broker outage.

One pattern for every kind of follow-up work (archiving a cited page, matching new coverage,
emailing a notification; webhooks and other deliveries reuse it):

1. **Recorded with the change.** In the transaction that makes the change, the row that
   needs the work says so: a state column on the entity (``Source.fetch_status`` "pending",
   ``Document.match_state`` "pending") or one delivery row per message (``EmailDelivery``).
   The row also keeps ``queued_at`` (when its task was last handed out; it doubles as the
   ticket below) and ``attempts``.
2. **Enqueued on commit** by ``followup_enqueue(name, ids)``. A broker that is down is
   logged, never raised: the user's request succeeds and says the work is queued.
3. **Swept.** Beat runs ``followup_sweep`` every minute: rows still pending whose
   ``queued_at`` is older than ``FOLLOWUP_GRACE_SECONDS`` are queued again (claimed with
   ``SKIP LOCKED``, so two sweeps never send a row twice).
4. **Run once.** Each message carries a ticket, the ``queued_at`` it was sent with.
   ``followup_begin`` accepts a message only while its ticket is the row's current one and
   the row is still pending, then moves ``queued_at`` and counts the attempt: a duplicate,
   an older message the sweep replaced, or a redelivery after a crash does nothing. A row
   whose attempts pass ``FOLLOWUP_MAX_ATTEMPTS`` (its worker was killed, ran out of memory
   or crashed each time) is parked as failed with the reason, never redelivered forever.

A kind is registered once, from its app's ``AppConfig.ready``, with ``followup_register``.
Tasks are sent by name, so ``sources`` can hand work to ``claims`` without importing it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500  # rows per kind per sweep; the next sweep takes the rest


@dataclass(frozen=True)
class FollowUp:
    """One kind of durable follow-up work."""

    name: str
    model: str  # "app_label.Model"
    task: str  # the Celery task's name, sent ``args=[id]`` (or ``[ids]``), ``kwargs={"ticket": ...}``
    pending: Q  # rows whose work is still to do
    parked: Callable[[str], dict]  # field values that park a row as failed, given the reason
    queued_field: str = "queued_at"
    attempts_field: str = "attempts"
    batch: int = 0  # 0: one row per message; n: up to n ids per message
    options: dict = field(default_factory=dict)  # apply_async options (queue, ...)

    @property
    def manager(self):
        return apps.get_model(self.model)._default_manager


_kinds: dict[str, FollowUp] = {}


def followup_register(kind: FollowUp) -> FollowUp:
    _kinds[kind.name] = kind
    return kind


def followup_kind(name: str) -> FollowUp:
    return _kinds[name]


def grace() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "FOLLOWUP_GRACE_SECONDS", 600)))


def max_attempts() -> int:
    return int(getattr(settings, "FOLLOWUP_MAX_ATTEMPTS", 5))


def _ticket(moment: datetime) -> str:
    return moment.isoformat()


# --------------------------------------------------------------------------- sending


def followup_enqueue(name: str, ids: Iterable[int]) -> None:
    """Queue the work for these rows once the current transaction commits.

    Call it in the transaction that made the rows pending: their ``queued_at`` moves with
    the change, and the message goes out only if the change commits.
    """
    kind = _kinds[name]
    ids = sorted(set(ids))
    if not ids:
        return
    now = timezone.now()
    kind.manager.filter(pk__in=ids).update(**{kind.queued_field: now})
    transaction.on_commit(lambda: _send(kind, ids, _ticket(now)))


def _send(kind: FollowUp, ids: Sequence[int], ticket: str) -> bool:
    """Hand the messages to the broker. False (logged) when it cannot take them."""
    from workbench.celery import app

    app.finalize(auto=True)  # sending by name alone would skip the app's set-up hooks
    groups = [ids[i:i + kind.batch] for i in range(0, len(ids), kind.batch)] if kind.batch \
        else [[pk] for pk in ids]
    try:
        for group in groups:
            first = list(group) if kind.batch else group[0]
            if app.conf.task_always_eager:  # CELERY_TASK_ALWAYS_EAGER: run here, like .delay()
                app.tasks[kind.task].apply(args=[first], kwargs={"ticket": ticket})
                continue
            app.send_task(kind.task, args=[first], kwargs={"ticket": ticket}, **kind.options)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep sends it later
        logger.warning("%s: could not queue %d row(s) (%s: %s); the sweep will queue them "
                       "again after %s", kind.name, len(ids), type(exc).__name__, exc, grace())
        return False
    return True


def followup_sweep(*, names: Iterable[str] | None = None) -> dict[str, int]:
    """Queue again every pending row whose last message is older than the grace period."""
    sent: dict[str, int] = {}
    for name in names or list(_kinds):
        kind = _kinds[name]
        now = timezone.now()
        stale = Q(**{f"{kind.queued_field}__isnull": True}) | Q(
            **{f"{kind.queued_field}__lt": now - grace()}
        )
        with transaction.atomic():
            ids = list(
                kind.manager.filter(kind.pending).filter(stale)
                .order_by(F(kind.queued_field).asc(nulls_first=True), "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:SWEEP_BATCH]
            )
            kind.manager.filter(pk__in=ids).update(**{kind.queued_field: now})
        if ids and _send(kind, ids, _ticket(now)):
            logger.info("%s: queued %d pending row(s) again", kind.name, len(ids))
        sent[name] = len(ids)
    return sent


# --------------------------------------------------------------------------- running


def followup_begin(name: str, ids: Iterable[int], ticket: str | None) -> list[int]:
    """The ids this message may work on now: pending, and ``ticket`` is their current one.

    Counts the attempt and moves the ticket, so any other message for these rows (a
    duplicate, an older one, a redelivery) does nothing. Rows past the attempt cap are
    parked instead. ``ticket=None`` (a task run by hand) skips the ticket check.
    """
    kind = _kinds[name]
    ids = sorted(set(ids))
    rows = kind.manager.filter(kind.pending, pk__in=ids)
    if ticket is not None:
        moment = parse_datetime(ticket)
        if moment is None:
            return []
        rows = rows.filter(**{kind.queued_field: moment})
    now = timezone.now()
    with transaction.atomic():
        found = list(rows.select_for_update().values_list("pk", kind.attempts_field))
        if not found:
            return []
        kind.manager.filter(pk__in=[pk for pk, _ in found]).update(
            **{kind.queued_field: now, kind.attempts_field: F(kind.attempts_field) + 1}
        )
    cap = max_attempts()
    worn = [pk for pk, attempts in found if attempts >= cap]
    if worn:
        followup_park(name, worn, (
            f"Stopped after {cap} attempts that did not finish: the worker doing it stopped "
            "each time (killed, out of memory or crashed)."
        ))
    return [pk for pk, attempts in found if attempts < cap]


def followup_retry_ticket(name: str, ids: Iterable[int], *, countdown: float) -> str:
    """A new ticket for a task about to retry itself in ``countdown`` seconds: the retry
    carries it, and the sweep waits a grace period past the planned retry."""
    kind = _kinds[name]
    moment = timezone.now() + timedelta(seconds=countdown)
    kind.manager.filter(pk__in=list(ids)).update(**{kind.queued_field: moment})
    return _ticket(moment)


def followup_park(name: str, ids: Iterable[int], reason: str) -> int:
    """Give up on these rows: they leave the pending state with ``reason`` visible."""
    kind = _kinds[name]
    parked = kind.manager.filter(kind.pending, pk__in=list(ids)).update(**kind.parked(reason))
    if parked:
        logger.error("%s: parked %d row(s): %s", kind.name, parked, reason)
    return parked


@shared_task(name="workbench.followup.followup_sweep_task",
             soft_time_limit=60, time_limit=90)
def followup_sweep_task() -> dict[str, int]:
    """Beat, every minute: see ``followup_sweep``."""
    return followup_sweep()
