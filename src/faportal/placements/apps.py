from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "faportal.placements"
    label = "placements"

    def ready(self) -> None:
        from faportal.placements import (
            receivers,  # noqa: F401  (answers the access app's signals)
            timeline,  # noqa: F401  (registers the placement's event kinds)
        )
