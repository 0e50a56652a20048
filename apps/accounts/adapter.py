from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.circles.authority import to_declare

from . import throttle
from .security_events import log_event, login_ref


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: guardians and children arrive through a school's invite."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """A guardian who has not yet said whether they hold gezag is asked first (docs/guardians-and-gezag.md)."""
        if to_declare(request.user).exists():
            return reverse("circles:declare_authority")
        if not request.user.language:  # the first log-in: choose a language (docs/languages.md)
            return reverse("choose_language") + "?next=" + super().get_login_redirect_url(request)
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        """The address the throttles count, behind our own proxies only (SEC-03, apps/accounts/throttle.py)."""
        ip = throttle.client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Count failures per account *and* address, so a stranger cannot lock the real user out (SEC-03)."""
        login = credentials.get("email", credentials.get("username", ""))
        return throttle.account_and_address_key(login, throttle.client_ip(request))

    def validation_error(self, code, *args) -> ValidationError:
        if code == "too_many_login_attempts":  # say how long to wait, and that a password reset always works
            return ValidationError(throttle.lockout_message(), code=code)
        return super().validation_error(code, *args)

    def pre_authenticate(self, request, **credentials):
        """Log when the log-in throttle refuses an attempt (a lock-out, SEC-03/SEC-29)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = credentials.get("email", credentials.get("username", ""))
            log_event("login_locked", "log-in refused: too many attempts", request=request, login=login_ref(login))
            raise
