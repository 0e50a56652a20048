from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("ziekmelden/", views.sick_report, name="sick_report"),
    path("ziekmelding/<int:report_id>/beter/", views.report_healthy, name="healthy"),
    path("kind/<int:child_id>/", views.child_absence, name="child"),
    path("kind/<int:child_id>/zorgelijk/", views.flag_worry, name="worry"),
    path("kind/<int:child_id>/verlof/", views.request_leave, name="leave"),
    path("verlof/<int:pk>/besluit/", views.decide_leave, name="decide_leave"),
    path("register/", views.register_index, name="register_index"),
    path("register/<int:group_id>/", views.register, name="register"),
    path("signalen/", views.signal_list, name="signals"),
    path("signalen/<int:pk>/stap/", views.complete_step, name="step"),
    path("signalen/<int:pk>/gesprek/", views.plan_conversation, name="conversation"),
    path("signalen/<int:pk>/jeugdarts/", views.refer_to_jeugdarts, name="jeugdarts"),
    path("signalen/<int:pk>/duo/", views.duo_report, name="duo"),
    path("signalen/<int:pk>/duo.csv", views.duo_report_csv, name="duo_csv"),
    path("signalen/<int:pk>/duo/status/", views.duo_status, name="duo_status"),
    path("toetsdagen/<int:school_id>/", views.test_days, name="test_days"),
    path("toetsdagen/<int:school_id>/<int:pk>/verwijderen/", views.remove_test_day, name="remove_test_day"),
    path("overzicht/", views.overview_index, name="overview_index"),
    path("overzicht/<int:school_id>/", views.overview, name="overview"),
    path("overzicht/<int:school_id>/export.csv", views.overview_export, name="overview_export"),
]
