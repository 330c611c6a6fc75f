from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "faportal.api"
    label = "api"
