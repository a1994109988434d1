from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and archives"

    def ready(self) -> None:
        from sources import followups, metrics
        from workbench.metrics import metrics_register_collector

        followups.register()
        metrics_register_collector(metrics.feed_health)
