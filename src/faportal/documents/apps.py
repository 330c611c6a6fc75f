from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "faportal.documents"
    label = "documents"

    def ready(self) -> None:
        from faportal.documents import (  # noqa: F401
            events,  # the timeline's kinds
            listing,  # the participant list's column
            views,  # the participant page's Rapportering tab
        )

        # The kinds join the registry (their ``position`` orders the buttons and Af's review queues).
        from faportal.documents.kinds import (  # noqa: F401
            absence,
            deviation,
            final,
            informative,
            monthly,
            plan,
            result,
            signal,
        )
