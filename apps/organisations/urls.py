from django.urls import path

from . import views

app_name = "organisations"
KIND = "<str:kind>"
urlpatterns = [
    path("platform/", views.platform_home, name="platform"),
    path("platform/gebruikers/", views.user_list, name="users"),
    path(f"platform/{KIND}/", views.organisation_list, name="list"),
    path(f"platform/{KIND}/nieuw/", views.organisation_new, name="new"),
    path(f"platform/{KIND}/<int:pk>/", views.organisation_detail, name="detail"),
    path(
        f"platform/{KIND}/<int:pk>/deactiveren/",
        views.organisation_set_active,
        {"active": False},
        name="deactivate",
    ),
    path(f"platform/{KIND}/<int:pk>/activeren/", views.organisation_set_active, {"active": True}, name="reactivate"),
    path(f"platform/{KIND}/<int:pk>/beheerder-uitnodigen/", views.invite_administrator, name="invite_admin"),
    path("organisatie/medewerkers/", views.staff_home, name="staff_home"),
    path("organisatie/scholen/<int:school_id>/medewerkers/", views.staff_list, name="staff"),
    path("organisatie/scholen/<int:school_id>/medewerkers/nieuw/", views.staff_add, name="staff_add"),
    path(
        "organisatie/scholen/<int:school_id>/medewerkers/<int:membership_id>/",
        views.staff_change,
        name="staff_change",
    ),
    path(
        "organisatie/scholen/<int:school_id>/medewerkers/<int:membership_id>/verwijderen/",
        views.staff_remove,
        name="staff_remove",
    ),
    path("organisatie/beheerlog/", views.admin_log, name="admin_log"),
    path("organisatie/collega-s/", views.organisation_staff_home, name="organisation_staff_home"),
    path(
        "organisatie/jeugdhulp/<int:organisation_id>/medewerkers/", views.organisation_staff, name="organisation_staff"
    ),
    path(
        "organisatie/jeugdhulp/<int:organisation_id>/medewerkers/nieuw/",
        views.organisation_staff_add,
        name="organisation_staff_add",
    ),
    path(
        "organisatie/jeugdhulp/<int:organisation_id>/medewerkers/<int:membership_id>/deactiveren/",
        views.organisation_staff_deactivate,
        name="organisation_staff_deactivate",
    ),
]
