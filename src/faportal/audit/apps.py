from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "faportal.audit"
    label = "audit"

    def ready(self) -> None:
        # Every app's audit_actions.py registers the actions it records (faportal.audit.actions).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("audit_actions")
