from django.urls import path

from . import views

app_name = "circles"
urlpatterns = [
    path("gezag/", views.declare_authority, name="declare_authority"),
    path("informatie/", views.information_requests, name="information_requests"),
    path("informatie/school/", views.information_inbox, name="information_inbox"),
    path("informatie/<int:request_id>/besluit/", views.decide_information, name="decide_information"),
    path("<int:child_id>/", views.child_detail, name="detail"),
    path("<int:child_id>/aanspreekpunt/", views.change_coordinator, name="change_coordinator"),
    path("<int:child_id>/uitnodigen/", views.invite, name="invite"),
    path("<int:child_id>/kring/<int:member_id>/beeindigen/", views.end_membership, name="end_membership"),
]
