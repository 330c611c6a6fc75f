from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "faportal.exports"
    label = "exports"
