from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims desk"

    def ready(self) -> None:
        from claims import followups
        from claims.monitoring import metrics
        from workbench.metrics import metrics_register_collector

        followups.register()
        for collect in (metrics.coverage_suggestions, metrics.desk_alerts, metrics.followup_work):
            metrics_register_collector(collect)
