from django.urls import path

from faportal.identity import views

app_name = "identity"

urlpatterns = [
    path("logga-in/", views.login_page, name="login"),
    path("logga-in/bankid/starta/", views.start, name="bankid_start"),
    path("logga-in/bankid/status/", views.status, name="bankid_status"),
    path("logga-in/bankid/oppna/", views.open_app, name="bankid_open"),
    path("logga-in/bankid/avbryt/", views.cancel, name="bankid_cancel"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("session/status/", views.session_status, name="session_status"),
    path("session/forlang/", views.session_extend, name="session_extend"),
]
