from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [path("<str:token>/", views.accept_invite, name="accept_invite")]
