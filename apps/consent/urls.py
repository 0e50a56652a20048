from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("<int:child_id>/toestemming/", views.consent_page, name="page"),
    path("<int:child_id>/toestemming/<int:consent_id>/tekenen/", views.sign, name="sign"),
    path("<int:child_id>/toestemming/<int:consent_id>/intrekken/", views.revoke, name="revoke"),
]
urlpatterns += [path("<int:child_id>/wat-ouders-zien/", views.parent_view_page, name="parent_view")]
