"""What ``claims`` tells the operations metrics at scrape time: suggestions created, open
desk alerts, and the state of durable follow-up work (the outcomes of those tasks)."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily


def coverage_suggestions() -> list:
    from claims.models import CoverageSuggestion

    family = CounterMetricFamily("factdesk_coverage_suggestions",
                                 "Coverage suggestions created by the matcher, by stance and status.",
                                 labels=["stance", "status"])
    for row in CoverageSuggestion.objects.values("stance", "status").annotate(n=Count("pk")).order_by():
        family.add_metric([row["stance"], row["status"]], row["n"])
    return [family]


def desk_alerts() -> list:
    from claims.models import DeskAlert

    family = GaugeMetricFamily("factdesk_desk_alerts_open", "Open desk alerts, by kind.", labels=["kind"])
    counts = dict(DeskAlert.objects.filter(resolved_at__isnull=True).values_list("kind")
                  .annotate(n=Count("pk")).order_by())
    for kind in DeskAlert.Kind.values:
        family.add_metric([kind], counts.get(kind, 0))
    return [family]


def followup_work() -> list:
    """Rows of each kind of durable follow-up work (archives, matching, emails, renders,
    gather runs) by state: pending work waiting, done, or parked as failed."""
    from workbench.followup import _kinds

    family = GaugeMetricFamily("factdesk_followup_rows",
                               "Durable follow-up work by kind and state (pending, failed).",
                               labels=["kind", "state"])
    for name, kind in sorted(_kinds.items()):
        pending = kind.manager.filter(kind.pending).count()
        family.add_metric([name, "pending"], pending)
        failed_field, failed_value = next(iter(kind.parked("").items()))
        family.add_metric([name, "failed"], kind.manager.filter(**{failed_field: failed_value}).count())
    return [family]
