"""URLs of the provider portal's participant pages (SPEC S4)."""

from django.urls import URLPattern, URLResolver, path

from faportal.placements import views

app_name = "placements"

urlpatterns: list[URLPattern | URLResolver] = [
    path("nya-deltagare/", views.intake, name="intake"),
    path("nya-deltagare/tilldela/", views.intake_assign, name="intake_assign"),
    path("nya-deltagare/<int:placement_id>/ta-bort/", views.intake_remove, name="intake_remove"),
    path("deltagare/", views.participant_list, name="list"),
    path("deltagare/olasta/", views.unread_counts, name="unread_counts"),
    path("deltagare/<int:placement_id>/", views.participant, name="participant"),
    path("deltagare/<int:placement_id>/erfarenheter/", views.experience, name="experience"),
    path("deltagare/<int:placement_id>/handelser/", views.events, name="events"),
    path("deltagare/<int:placement_id>/handelser/senaste/", views.recent_events, name="recent_events"),
    path("deltagare/<int:placement_id>/personnummer/", views.reveal_personnummer, name="reveal_personnummer"),
    path("deltagare/<int:placement_id>/handledare/", views.change_supervisor, name="change_supervisor"),
    path("personal/<int:account_id>/flytta-deltagare/", views.move_supervised, name="move_supervised"),
]
