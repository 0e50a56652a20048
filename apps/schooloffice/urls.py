from django.urls import path

from . import views

app_name = "schooloffice"
urlpatterns = [
    path("leerlingen/", views.pupils, name="pupils"),
    path("groepen/", views.groups, name="groups"),
    path("ouders/", views.guardians, name="guardians"),
    path("uitnodigingen/", views.invitations, name="invitations"),
    path("uitnodigingen/ronde/", views.start_batch, name="start_batch"),
    path("uitnodigingen/ronde/<int:batch_id>/", views.batch, name="batch"),
    path("uitnodigingen/<int:invite_id>/opnieuw/", views.resend, name="resend"),
    path("uitnodigingen/brieven/", views.letters, name="letters"),
    path("gezag/", views.gezag, name="gezag"),
    path("gezag/<int:guardianship_id>/", views.confirm_gezag, name="confirm_gezag"),
]
