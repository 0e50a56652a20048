from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_id>/wijzigen/", views.agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item_id>/verwijderen/", views.agenda_delete, name="agenda_delete"),
    path("<int:pk>/checklist/", views.checklist_add, name="checklist_add"),
    path("<int:pk>/checklist/<int:item_id>/", views.checklist_toggle, name="checklist_toggle"),
    path("<int:pk>/actieteam/", views.team_add, name="team_add"),
    path("<int:pk>/themas/", views.theme_add, name="theme_add"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("<int:pk>/uitnodigen/personen/", views.invite_named, name="invite_named"),
    path("<int:pk>/uitnodigen/leden/", views.invite_members, name="invite_members"),
    path("<int:pk>/samenvatting/", views.send_summary, name="send_summary"),
    path("<int:pk>/herinneren/", views.reminders, name="reminders"),
    path("<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("<int:pk>/wensen/", views.wish_add, name="wish_add"),
    path("<int:pk>/indelen/", views.divide, name="divide"),
    path("<int:pk>/aanmelden/", views.rsvp, name="rsvp"),
    path("<int:pk>/acties/nieuw/", views.action_create, name="action_create"),
    path("tafel/<int:pk>/", views.table, name="table"),
    path("acties/<int:pk>/", views.action, name="action"),
    path("acties/<int:pk>/opnieuw/", views.action_restart, name="action_restart"),
    path("school/<int:school_id>/leergemeenschappen/", views.communities, name="communities"),
    path("leergemeenschap/<int:community_id>/", views.community, name="community"),
    path("leergemeenschap/<int:community_id>/leden/", views.member_add, name="member_add"),
    path("leergemeenschap/<int:community_id>/bijeenkomsten/", views.session_add, name="session_add"),
    path("school/<int:school_id>/acties/", views.actions, name="actions"),
    path("school/<int:school_id>/acties/importeren/", views.import_actions, name="import_actions"),
    path("school/<int:school_id>/jullie-zeiden-wij-deden/", views.feedback, name="feedback"),
    path("school/<int:school_id>/jullie-zeiden-wij-deden.pdf", views.feedback_pdf, name="feedback_pdf"),
]
