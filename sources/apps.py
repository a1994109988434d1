from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and archives"

    def ready(self) -> None:
        from sources import followups

        followups.register()
