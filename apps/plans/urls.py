from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("mijn-afspraken/", views.my_agreements, name="mine"),
    path("kind/<int:child_id>/", views.plan, name="child"),
    path("kind/<int:child_id>/pdf/", views.pdf, name="pdf"),
    path("doel/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("afspraak/<int:agreement_id>/", views.agreement_edit, name="agreement_edit"),
    path("afspraak/<int:agreement_id>/status/", views.agreement_status, name="agreement_status"),
]
