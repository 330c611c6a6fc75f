from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "faportal.registry"
    label = "registry"
