import time

from allauth.usersessions.middleware import UserSessionsMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .enrolment import may_enrol
from .security_events import log_event
from .twofactor import two_factor_missing

# The web app's own files (manifest, service worker, offline page, favicon) hold nothing personal.
OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/readyz",
    "/uitnodiging/",
    "/manifest.webmanifest",
    "/sw.js",
    "/offline/",
    "/favicon.ico",
    "/woorden/",
)
# Account pages that still need two-factor first: the session list shows where and when someone was logged in;
# the e-mail address is where password resets and two-factor enrolment links go.
GUARDED_PREFIXES = ("/accounts/sessions/", "/accounts/email/")
# allauth's TOTP set-up: only after an enrolment link from the user's own mailbox (apps/accounts/enrolment.py).
TOTP_SETUP_PREFIX = "/accounts/2fa/totp/activate"
# What the browser should forget once a session ends (SEC-28). Not "cookies": see ClearSiteDataOnLogoutMiddleware.
CLEAR_SITE_DATA = '"cache", "storage"'


class RequireTwoFactorMiddleware:
    """Send professionals without TOTP to the enrolment page before anything else; keep the TOTP set-up page
    closed to a session that has not opened an enrolment link (SEC-01, apps/accounts/enrolment.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(TOTP_SETUP_PREFIX) and request.user.is_authenticated and not may_enrol(request):
            # A password alone never sets up an authenticator: show the way to the enrolment link, refuse a POST.
            if request.method in ("GET", "HEAD"):
                return redirect("enrol_two_factor")
            log_event(
                "mfa_setup_refused", "TOTP set-up without an enrolment link", request=request, user_id=request.user.pk
            )
            raise PermissionDenied(_("Open eerst de link uit uw e-mail om tweestapsverificatie in te stellen."))
        is_open = path.startswith(OPEN_PREFIXES) and not path.startswith(GUARDED_PREFIXES)
        if is_open or not two_factor_missing(request.user):
            return self.get_response(request)
        text = _("Stel eerst tweestapsverificatie in voordat u gegevens van kinderen kunt zien.")
        if path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=403)
        messages.info(request, text)
        return redirect("enrol_two_factor")


class SessionTimeoutMiddleware:
    """End a session after a period without activity and after an absolute maximum (SEC-08).

    A shared computer at school or a parent's phone left unlocked should not keep a child's file open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            now = int(time.time())
            started = request.session.setdefault("driehoek_started", now)
            last_seen = request.session.get("driehoek_seen", now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            too_old = now - started > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                logout(request)
                messages.info(request, _("U was een tijd niet actief. Log opnieuw in; er is niets verloren gegaan."))
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Uw sessie is verlopen.")}, status=401)
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= 60 or "driehoek_seen" not in request.session:
                request.session["driehoek_seen"] = now  # at most one session write per minute
        return self.get_response(request)


class ClearSiteDataOnLogoutMiddleware:
    """When a request ends the session, tell the browser to drop cached pages and stored data (SEC-28).

    Covers every way out: the log-out button, the admin's log-out, an idle time-out and ending one's own
    session on the sessions page. A shared computer then keeps no child's data in its back button.
    "cookies" is left out on purpose: the session is already destroyed on the server, so its cookie is
    worthless, while wiping all cookies would also drop the chosen language and the message that says why
    the user is at the log-in page (e.g. after a time-out). The next log-in's CSRF check works either way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_logged_in = request.user.is_authenticated
        response = self.get_response(request)
        if was_logged_in and not request.user.is_authenticated:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class UserSessionActivityMiddleware(UserSessionsMiddleware):
    """allauth's session tracking (last seen, IP, browser; SEC-09), at most once a minute per session.

    allauth records it on every request, which costs four queries and a database write each time; the
    sessions page only needs "last active" to the minute.
    """

    def __call__(self, request):
        if request.user.is_authenticated and request.session.session_key:
            now = int(time.time())
            if now - request.session.get("driehoek_tracked", 0) >= 60:
                request.session["driehoek_tracked"] = now
                return super().__call__(request)  # allauth records this request
        return self.get_response(request)


class PersonLanguageMiddleware:
    """A logged-in person reads the interface in the language kept on their account (docs/languages.md).

    After LocaleMiddleware (which reads the cookie and the browser's Accept-Language for visitors) and after
    AuthenticationMiddleware. Until a person chose, the cookie and the browser still decide. An API call that
    asks for a language (Accept-Language) gets that one: a program says what it wants; a browser always sends
    the header, so for pages the account wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        from .languages import normalise

        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen and request.path.startswith("/api/") and request.headers.get("Accept-Language"):
            chosen = ""
        if chosen:
            code = normalise(chosen)[0]
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
