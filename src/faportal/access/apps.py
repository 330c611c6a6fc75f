from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "faportal.access"
    label = "access"

    def ready(self) -> None:
        from faportal.access import signals  # noqa: F401  (connects the registry's signals)
