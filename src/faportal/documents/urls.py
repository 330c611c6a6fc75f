"""URLs of the provider's documents (SPEC S5), under the participant page."""

from django.urls import URLPattern, URLResolver, path

from faportal.documents import views

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("deltagare/<int:placement_id>/rapportering/", views.reporting, name="reporting"),
    path("deltagare/<int:placement_id>/rapportering/ny/", views.start, name="start"),
    path("handlingar/<int:document_id>/", views.document, name="document"),
    path("handlingar/<int:document_id>/spara/", views.save, name="save"),
    path("handlingar/<int:document_id>/forhandsgranska/", views.preview, name="preview"),
    path("handlingar/<int:document_id>/skicka-in/", views.submit, name="submit"),
    path("handlingar/<int:document_id>/ratta/", views.correct, name="correct"),
    path("handlingar/<int:document_id>/ta-bort/", views.delete, name="delete"),
    path("handlingar/<int:document_id>/filer/<int:file_id>/", views.document_file, name="file"),
]
