from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "faportal.identity"
    label = "identity"

    def ready(self) -> None:
        from faportal.identity import checks  # noqa: F401  (registers the start-up checks)
