from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("toestemmingen/", views.organisation_consents, name="organisation_consents"),
    path("toestemmingen/<int:consent_id>/toewijzen/", views.assign, name="assign"),
    path("toewijzingen/<int:assignment_id>/beeindigen/", views.end_assignment, name="end_assignment"),
    path("verzoek/", views.ask_to_join, name="ask_to_join"),
    path("verzoeken/", views.join_requests, name="join_requests"),
    path("verzoeken/<int:request_id>/toestemming/", views.join_request_ask_consent, name="join_request_ask_consent"),
    path("verzoeken/<int:request_id>/afwijzen/", views.join_request_decline, name="join_request_decline"),
]
