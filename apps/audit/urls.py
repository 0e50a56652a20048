from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [path("<int:child_id>/logboek/", views.child_log, name="child_log")]
