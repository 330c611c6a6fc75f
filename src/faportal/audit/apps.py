from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "faportal.audit"
    label = "audit"
