from django.urls import path

from . import views

app_name = "circles"
urlpatterns = [
    path("gezag/", views.declare_authority, name="declare_authority"),
    path("<int:child_id>/", views.child_detail, name="detail"),
    path("<int:child_id>/aanspreekpunt/", views.change_coordinator, name="change_coordinator"),
    path("<int:child_id>/uitnodigen/", views.invite, name="invite"),
    path("<int:child_id>/kring/<int:member_id>/beeindigen/", views.end_membership, name="end_membership"),
]
