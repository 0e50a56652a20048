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
    path("verwijzingen/", views.referral_list, name="referral_list"),
    path("verwijzingen/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("verwijzingen/<int:referral_id>/accepteren/", views.referral_accept, name="referral_accept"),
    path("verwijzingen/<int:referral_id>/afwijzen/", views.referral_decline, name="referral_decline"),
    path("verwijzingen/<int:referral_id>/toewijzen/", views.referral_assign, name="referral_assign"),
    path("verwijzingen/<int:referral_id>/driegesprek/", views.referral_three_way, name="referral_three_way"),
    path("verwijzingen/<int:referral_id>/intrekken/", views.referral_withdraw, name="referral_withdraw"),
    path("kinderen/<int:child_id>/verwijzen/", views.referral_new, name="referral_new"),
    path("kinderen/<int:child_id>/verwijzingen/", views.child_referrals, name="child_referrals"),
    path("reactietijden/", views.response_times, name="response_times"),
]
