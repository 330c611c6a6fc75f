"""URLs of faportal.api: the integration API for Af's systems, versioned in the path (docs/api.md)."""

from django.urls import URLPattern, URLResolver, path

from faportal.api.integration_views import api as integration_v1

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("integration/v1/", integration_v1.urls),
]
