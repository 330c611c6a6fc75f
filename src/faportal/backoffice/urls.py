from django.urls import path

from faportal.backoffice import catalogue_views, decision_views, finance_views, review_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisationer/", views.organisations, name="organisations"),
    path("organisationer/ny/", views.organisation_new, name="organisation_new"),
    path("organisationer/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("register/import/", views.ka_import, name="ka_import"),
    path("register/import/<int:run_id>/", views.ka_import_run, name="ka_import_run"),
    path("logg/", views.audit_log, name="audit_log"),
    path("granskning/", review_views.queue, name="review_queue"),
    path("granskning/<int:document_id>/", review_views.review, name="review"),
    path("granskning/<int:document_id>/filer/<int:file_id>/", review_views.review_file, name="review_file"),
    path("granskning/aktiviteter/", catalogue_views.activities, name="activities"),
    path("granskning/aktiviteter/ny/", catalogue_views.activity, name="activity_new"),
    path("granskning/aktiviteter/<int:activity_id>/", catalogue_views.activity, name="activity"),
    path("granskning/kansliga-ord/", catalogue_views.sensitive_terms, name="sensitive_terms"),
    path("granskning/kansliga-ord/<int:term_id>/", catalogue_views.sensitive_term_toggle, name="sensitive_term_toggle"),
    path("granskning/amnen/", catalogue_views.information_topics, name="information_topics"),
    path("granskning/amnen/<int:topic_id>/", catalogue_views.information_topic_toggle, name="information_topic_toggle"),
    path("ekonomi/", finance_views.finance, name="finance"),
    path("ekonomi/manadskorning/", finance_views.start_run, name="finance_run"),
    path("ekonomi/fakturor/<int:invoice_id>/", finance_views.invoice, name="finance_invoice"),
    path("ekonomi/fakturor/<int:invoice_id>/faktura.xml", finance_views.invoice_xml, name="finance_invoice_xml"),
    path("ekonomi/ordrar/<int:order_id>/", finance_views.order, name="finance_order"),
    path("ekonomi/ersattningar/", finance_views.tariffs, name="tariffs"),
    path("ekonomi/ersattningar/<int:tariff_id>/", finance_views.tariff, name="tariff"),
    path("deltagare/", decision_views.placements, name="placements"),
    # Under Deltagare, where the menu shows it (before the genomförandereferens pattern, which would take it).
    path("deltagare/nytt-beslut/", decision_views.decision_new, name="decision_new"),
    path("deltagare/adresser/", decision_views.address_options, name="address_options"),
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
