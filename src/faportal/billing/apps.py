from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "faportal.billing"
    label = "billing"

    def ready(self) -> None:
        from faportal.billing import (  # noqa: F401
            events,  # the timeline's kinds
            receivers,  # answers documents' decisions
        )
