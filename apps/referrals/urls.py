from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("toestemmingen/", views.organisation_consents, name="organisation_consents"),
    path("toestemmingen/<int:consent_id>/toewijzen/", views.assign, name="assign"),
    path("toewijzingen/<int:assignment_id>/beeindigen/", views.end_assignment, name="end_assignment"),
]
