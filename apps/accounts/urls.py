from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("code/", views.redeem_code, name="redeem_code"),  # before the token pattern, which would match "code"
    path("<str:token>/", views.accept_invite, name="accept_invite"),
]
