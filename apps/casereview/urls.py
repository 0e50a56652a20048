from django.urls import path

from . import views

app_name = "casereview"
urlpatterns = [
    path("", views.index, name="index"),
    path("kind/<int:child_id>/nieuw/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/deelnemers/", views.participant_add, name="participant_add"),
    path("<int:pk>/passendheid/", views.fit, name="fit"),
    path("<int:pk>/factoren/", views.factor_add, name="factor_add"),
    path("<int:pk>/actiepunten/", views.point_add, name="point_add"),
    path("school/<int:school_id>/overzicht/", views.school_summary, name="school_summary"),
    path("bestuur/<int:board_id>/overzicht/", views.region_summary, name="region_summary"),
]
