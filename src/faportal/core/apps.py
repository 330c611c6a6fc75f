from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "faportal.core"
    label = "core"
    verbose_name = "Core"
