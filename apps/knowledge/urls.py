from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("koppelen/", views.link_add, name="link_add"),
    path("koppeling/<int:pk>/verwijderen/", views.link_remove, name="link_remove"),
]
