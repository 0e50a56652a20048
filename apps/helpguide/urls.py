from django.urls import path

from . import views

app_name = "helpguide"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("kind/", views.child_guide, name="child"),
    path("foto/<int:step_id>/", views.photo, name="photo"),
    path("stap/<int:step_id>/vertaling/", views.translate_step, name="translate_step"),
    path("vraag/", views.ask, name="ask"),
    path("mijn-vragen/", views.my_questions, name="mine"),
    path("vragen/", views.questions, name="questions"),
    path("vragen/<int:pk>/", views.question_detail, name="question"),
    path("rapport/", views.report, name="report"),
    path("beheer/<int:school_id>/", views.manage, name="manage"),
    path("beheer/<int:school_id>/stap/nieuw/", views.edit_step, name="new_step"),
    path("beheer/<int:school_id>/stap/<int:step_id>/", views.edit_step, name="edit_step"),
    path("beheer/<int:school_id>/stap/<int:step_id>/verwijderen/", views.delete_step, name="delete_step"),
    path("beheer/<int:school_id>/stap/<int:step_id>/talen/", views.step_versions, name="step_versions"),
    path("beheer/<int:school_id>/vakanties/", views.holidays, name="holidays"),
    path("beheer/<int:school_id>/vakanties/<int:holiday_id>/", views.holidays, name="edit_holiday"),
    path("beheer/<int:school_id>/vakanties/<int:holiday_id>/verwijderen/", views.delete_holiday, name="delete_holiday"),
    path("beheer/<int:school_id>/onderwerp/nieuw/", views.edit_topic, name="new_topic"),
    path("beheer/<int:school_id>/onderwerp/<int:topic_id>/", views.edit_topic, name="edit_topic"),
]
