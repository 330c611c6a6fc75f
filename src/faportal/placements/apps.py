from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "faportal.placements"
    label = "placements"
