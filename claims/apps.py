from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims desk"

    def ready(self) -> None:
        from claims import followups

        followups.register()
