from django.urls import path

from . import views
from .opp import views as opp_views

app_name = "plans"
urlpatterns = [
    path("mijn-afspraken/", views.my_agreements, name="mine"),
    path("kind/<int:child_id>/", views.plan, name="child"),
    path("kind/<int:child_id>/pdf/", views.pdf, name="pdf"),
    path("kind/<int:child_id>/opp/", opp_views.opp_page, name="opp"),
    path("kind/<int:child_id>/opp/pdf/", opp_views.opp_pdf, name="opp_pdf"),
    path("school/<int:school_id>/onenigheid/", opp_views.dispute_text, name="dispute_text"),
    path("doel/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("afspraak/<int:agreement_id>/", views.agreement_edit, name="agreement_edit"),
    path("afspraak/<int:agreement_id>/status/", views.agreement_status, name="agreement_status"),
]
