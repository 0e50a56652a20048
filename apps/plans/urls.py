from django.urls import path

from . import views
from .groei import views as groei_views
from .opp import views as opp_views

app_name = "plans"
urlpatterns = [
    path("mijn-afspraken/", views.my_agreements, name="mine"),
    path("kind/<int:child_id>/", views.plan, name="child"),
    path("kind/<int:child_id>/pdf/", views.pdf, name="pdf"),
    path("kind/<int:child_id>/opp/", opp_views.opp_page, name="opp"),
    path("kind/<int:child_id>/opp/pdf/", opp_views.opp_pdf, name="opp_pdf"),
    path("kind/<int:child_id>/groeidocument/", groei_views.child_documents, name="groeidocumenten"),
    path("kind/<int:child_id>/gezinsplan/", groei_views.family_plan, name="family_plan"),
    path("groeidocument/<int:doc_id>/", groei_views.document, name="groeidocument"),
    path("groeidocument/<int:doc_id>/pdf/", groei_views.document_pdf, name="groeidocument_pdf"),
    path("groeidocument/<int:doc_id>/json/", groei_views.document_json, name="groeidocument_json"),
    path("school/<int:school_id>/onenigheid/", opp_views.dispute_text, name="dispute_text"),
    path("doel/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("afspraak/<int:agreement_id>/", views.agreement_edit, name="agreement_edit"),
    path("afspraak/<int:agreement_id>/status/", views.agreement_status, name="agreement_status"),
]
