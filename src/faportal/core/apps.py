from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "faportal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Every app's messages.py registers the words for its rules' codes (faportal.core.problems).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("messages")
