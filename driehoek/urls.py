from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from apps.accounts import views as account_views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Driehoek beheer"

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/sessions/", account_views.sessions, name="usersessions_list"),  # before allauth's own view
    path("accounts/", include("allauth.urls")),
    path("uitnodiging/", include("apps.accounts.urls")),
    path("api-sleutel/", account_views.api_key, name="api_key"),
    path("kinderen/", include("apps.circles.urls")),
    path("kinderen/", include("apps.consent.urls")),
    path("kinderen/", include("apps.audit.urls")),
    path("meldingen/", include("apps.notifications.urls")),
    path("tijdlijn/", include("apps.timeline.urls")),
    path("plan/", include("apps.plans.urls")),
    path("gesprekken/", include("apps.conversations.urls")),
    path("startgesprekken/", include("apps.planner.urls")),
    path("berichten/", include("apps.messaging.urls")),
    path("hulpwijzer/", include("apps.helpguide.urls")),
    path("bijeenkomsten/", include("apps.meetings.urls")),
    path("import/", include("apps.enrolment.urls")),
    path("verzuim/", include("apps.attendance.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("driehoek.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
    path("beheer/", admin.site.urls),
]
