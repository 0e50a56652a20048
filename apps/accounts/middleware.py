import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .twofactor import two_factor_missing

OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz", "/uitnodiging/")


class RequireTwoFactorMiddleware:
    """Send professionals without TOTP to the set-up page before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(OPEN_PREFIXES) or not two_factor_missing(request.user):
            return self.get_response(request)
        text = _("Stel eerst tweestapsverificatie in voordat u gegevens van kinderen kunt zien.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=403)
        messages.info(request, text)
        return redirect("mfa_activate_totp")


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
