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
