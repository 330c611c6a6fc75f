"""URLs of exports (SPEC S4.10)."""

from django.urls import path

from faportal.exports import views

app_name = "exports"

urlpatterns = [
    path("deltagare/exportera/", views.export, name="export"),
    path("deltagare/exportera/<int:export_id>/", views.export_run, name="run"),
    path("deltagare/exportera/<int:export_id>/fil/", views.download, name="download"),
]
