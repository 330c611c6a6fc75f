from django.urls import path

from faportal.backoffice import decision_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisationer/", views.organisations, name="organisations"),
    path("organisationer/ny/", views.organisation_new, name="organisation_new"),
    path("organisationer/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("register/import/", views.ka_import, name="ka_import"),
    path("register/import/<int:run_id>/", views.ka_import_run, name="ka_import_run"),
    path("logg/", views.audit_log, name="audit_log"),
    path("deltagare/", decision_views.placements, name="placements"),
    # Under Deltagare, where the menu shows it (before the genomförandereferens pattern, which would take it).
    path("deltagare/nytt-beslut/", decision_views.decision_new, name="decision_new"),
    path("deltagare/<str:genomforandereferens>/", decision_views.placement, name="placement"),
    path("deltagare/<str:genomforandereferens>/avbrott/", decision_views.interrupt, name="interrupt"),
    path(
        "deltagare/<str:genomforandereferens>/avbrott/andra/",
        decision_views.change_interruption,
        name="change_interruption",
    ),
    path("deltagare/<str:genomforandereferens>/period-2/", decision_views.second_period, name="second_period"),
    path(
        "deltagare/<str:genomforandereferens>/byte-av-leverantor/",
        decision_views.provider_change,
        name="provider_change",
    ),
]
