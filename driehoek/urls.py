from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from apps.accounts import views as account_views
from apps.core import views as core_views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Driehoek beheer"

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/sessions/", account_views.sessions, name="usersessions_list"),  # before allauth's own view
    path("accounts/2fa/inschrijven/", account_views.enrol_two_factor, name="enrol_two_factor"),
    path("accounts/2fa/inschrijven/<str:token>/", account_views.enrol_two_factor_link, name="enrol_two_factor_link"),
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
    path("casusreview/", include("apps.casereview.urls")),
    path("import/", include("apps.enrolment.urls")),
    path("", include("apps.organisations.urls")),
    path("schoolbeheer/", include("apps.schooloffice.urls")),
    path("jeugdhulp/", include("apps.referrals.urls")),
    path("verzuim/", include("apps.attendance.urls")),
    path("inzage/", include("apps.privacy.urls")),
    path("kennisbank/", include("apps.knowledge.urls")),
    path("peiling/", include("apps.monitor.urls")),
    # Before Django's own: the switch also keeps a logged-in person's choice on the account (docs/languages.md).
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("taal/", account_views.choose_language, name="choose_language"),
    path("woorden/", core_views.glossary, name="glossary"),
    path("api/v1/", include("driehoek.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", login_required(SpectacularRedocView.as_view(url_name="schema")), name="api-docs"),
    path("beheer/", admin.site.urls),
]

handler400 = "apps.core.errors.bad_request"
handler403 = "apps.core.errors.permission_denied"
handler404 = "apps.core.errors.page_not_found"
handler500 = "apps.core.errors.server_error"
