from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "faportal.access"
    label = "access"
