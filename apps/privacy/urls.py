from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("kind/<int:child_id>/", views.child_page, name="child"),
    path("kind/<int:child_id>/download/", views.download_visible, name="download_visible"),
    path("kind/<int:child_id>/bewaarplicht/", views.hold, name="hold"),
    path("verzoeken/", views.inbox, name="inbox"),
    path("verzoek/<int:request_id>/", views.handle, name="handle"),
    path("verzoek/<int:request_id>/download/", views.download, name="download"),
    path("correctie/<int:correction_id>/", views.correction, name="correction"),
    path("tijdlijn/<int:entry_id>/correctie/", views.entry_correction, name="entry_correction"),
    path("tijdlijn/<int:entry_id>/zienswijze/", views.entry_statement, name="entry_statement"),
    path("afspraak/<int:agreement_id>/correctie/", views.agreement_correction, name="agreement_correction"),
    path("afspraak/<int:agreement_id>/zienswijze/", views.agreement_statement, name="agreement_statement"),
]
