"""URL configuration: the provider portal at /, the Af back office at /af/."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from faportal.core import views as core_views

handler404 = "faportal.core.views.not_found"
handler500 = "faportal.core.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("faportal.identity.urls")),
    path("af/", include("faportal.backoffice.urls")),
    path("", include("faportal.access.urls")),
]

if settings.DEV_OUTBOX:
    urlpatterns.append(path("dev/utkorg/", core_views.dev_outbox, name="dev_outbox"))
