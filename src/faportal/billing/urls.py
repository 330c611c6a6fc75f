"""URLs of Ekonomi (SPEC S7.4), under /ekonomi/."""

from django.urls import path

from faportal.billing import views

app_name = "billing"

urlpatterns = [
    path("ekonomi/", views.lines, name="lines"),
    path("ekonomi/ordrar/<int:order_id>/", views.order, name="order"),
    path("ekonomi/ordrar/<int:order_id>/order.xml", views.order_xml, name="order_xml"),
    path("ekonomi/rader/<int:line_id>/fakturera/", views.invoice_line, name="invoice_line"),
    path("ekonomi/fakturera/", views.batch, name="batch"),
    path("ekonomi/fakturera/<int:batch_id>/", views.batch_status, name="batch_status"),
    path("ekonomi/fakturor/", views.invoices, name="invoices"),
    path("ekonomi/fakturor/<int:invoice_id>/", views.invoice, name="invoice"),
    path("ekonomi/fakturor/<int:invoice_id>/faktura.xml", views.invoice_xml, name="invoice_xml"),
    path("ekonomi/fakturor/<int:invoice_id>/faktura.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("ekonomi/fakturor/<int:invoice_id>/kreditera/", views.credit, name="credit"),
    path("ekonomi/skicka-faktura/", views.upload, name="upload"),
    path("ekonomi/faktureringsuppgifter/", views.profile, name="profile"),
]
