from django.urls import path

from faportal.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisationer/", views.organisations, name="organisations"),
    path("organisationer/ny/", views.organisation_new, name="organisation_new"),
    path("organisationer/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("register/import/", views.ka_import, name="ka_import"),
    path("register/import/<int:run_id>/", views.ka_import_run, name="ka_import_run"),
    path("logg/", views.audit_log, name="audit_log"),
]
