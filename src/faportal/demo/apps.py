from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the one-command developer start (`make run`). Never used in production."""

    name = "faportal.demo"
    label = "demo"
