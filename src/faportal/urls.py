"""URL configuration: the provider portal at /, the Af back office at /af/."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from faportal.core import views as core_views

handler404 = "faportal.core.views.not_found"
handler500 = "faportal.core.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page says; without this they would be sent to sign in.
    path("favicon.ico", RedirectView.as_view(url=static("faportal/favicon.svg"), permanent=True), name="favicon"),
    path("", include("faportal.identity.urls")),
    path("af/", include("faportal.backoffice.urls")),
    path("api/", include("faportal.api.urls")),
    path("", include("faportal.placements.urls")),
    path("", include("faportal.documents.urls")),
    path("", include("faportal.exports.urls")),
    path("", include("faportal.billing.urls")),
    path("", include("faportal.access.urls")),
]

if settings.DEV_OUTBOX:
    urlpatterns.append(path("dev/utkorg/", core_views.dev_outbox, name="dev_outbox"))
