from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "faportal.backoffice"
    label = "backoffice"
