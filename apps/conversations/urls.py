from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("nieuw/<int:child_id>/", views.conversation_new, name="new"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/komt-u/", views.rsvp, name="rsvp"),
    path("<int:pk>/tolk/", views.interpreter, name="interpreter"),
    path("<int:pk>/voorbereiding/", views.prepare, name="prepare"),
    path("<int:pk>/voorbereiding/kind/", views.prepare_child, name="prepare_child"),
    path("<int:pk>/aantekeningen/", views.record, name="record"),
    path("<int:pk>/afspraak/", views.add_outcome, name="outcome"),
    path("<int:pk>/terugkoppeling/", views.feedback, name="feedback"),
    path("<int:pk>/terugkoppeling/vertaling/", views.translate_feedback, name="translate_feedback"),
    path("<int:pk>/verzetten/", views.reschedule, name="reschedule"),
    path("<int:pk>/annuleren/", views.cancel, name="cancel"),
    path("<int:pk>/agenda.ics", views.ics, name="ics"),
]
