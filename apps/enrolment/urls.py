from django.urls import path

from . import views

app_name = "enrolment"
urlpatterns = [
    path("", views.index, name="index"),
    path("school/<int:school_id>/", views.index, name="school"),
    path("school/<int:school_id>/nieuw-schooljaar/", views.new_school_year, name="school_year"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/kolommen/", views.mapping, name="mapping"),
    path("<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("<int:pk>/weggooien/", views.discard, name="discard"),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
]
