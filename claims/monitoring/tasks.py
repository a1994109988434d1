"""Beat tasks of monitoring."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="claims.monitoring.tasks.alerts_scan",
             soft_time_limit=120, time_limit=180)
def alerts_scan() -> str:
    """Hourly: raise new desk alerts once, resolve cleared ones (see claims.monitoring.alerts)."""
    from claims.monitoring.alerts import alerts_scan as scan

    result = scan()
    return f"raised {result.raised}, resolved {result.resolved}, open {result.open}"


@shared_task(name="claims.monitoring.tasks.resurfacing_digest",
             soft_time_limit=120, time_limit=180)
def resurfacing_digest() -> str:
    """Hourly: email the desk the last week's claims spreading again, the first time it runs
    in a week (see claims.monitoring.digest)."""
    from claims.monitoring.digest import resurfacing_digest_send

    digest = resurfacing_digest_send()
    if digest is None:
        return "already sent"
    return f"week of {digest.week_start}: {digest.claims} claims, {digest.items} new items"
