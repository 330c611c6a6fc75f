from django.urls import path

from faportal.access import views

urlpatterns = [
    path("", views.home, name="home"),
    path("valj-organisation/", views.choose_organisation, name="choose_organisation"),
    path("personal/", views.staff_list, name="staff_list"),
    path("personal/oversikt/", views.staff_overview, name="staff_overview"),
    path("personal/bjud-in/", views.invite, name="invite"),
    path("personal/inbjudningar/", views.invitations, name="invitations"),
    path("personal/inbjudningar/<int:invitation_id>/aterkalla/", views.invitation_revoke, name="invitation_revoke"),
    path("personal/<int:account_id>/", views.staff_detail, name="staff_detail"),
    path("personal/<int:account_id>/behorigheter/", views.staff_permissions, name="staff_permissions"),
    path("personal/<int:account_id>/ta-bort/", views.staff_delete, name="staff_delete"),
    path("logg/", views.audit_log, name="audit_log"),
    path("inbjudan/<str:token>/", views.invitation, name="invitation"),
    path("inbjudan/<str:token>/bekrafta/", views.invitation_confirm, name="invitation_confirm"),
]
