from django.urls import path

from . import views

app_name = "planner"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.round_new, name="new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/herinneren/", views.round_nudge, name="nudge"),
    path("<int:pk>/annuleren/", views.round_cancel, name="cancel"),
    path("<int:pk>/tijd/<int:slot_id>/schrappen/", views.slot_remove, name="slot_remove"),
    path("<int:pk>/kind/<int:child_id>/", views.book, name="book"),
    path("<int:pk>/kind/<int:child_id>/namens-familie/", views.book_for_family, name="book_for_family"),
    path("<int:pk>/kind/<int:child_id>/wachtlijst/", views.waitlist, name="waitlist"),
    path("boeking/<int:booking_id>/annuleren/", views.booking_cancel, name="booking_cancel"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/<str:token>.ics", views.agenda_feed, name="agenda_feed"),
]
