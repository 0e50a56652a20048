from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.circles.authority import to_declare

from .security_events import log_event, login_ref


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: guardians and children arrive through a school's invite."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """A guardian who has not yet said whether they hold gezag is asked first (docs/guardians-and-gezag.md)."""
        if to_declare(request.user).exists():
            return reverse("circles:declare_authority")
        return super().get_login_redirect_url(request)

    def pre_authenticate(self, request, **credentials):
        """Log when the log-in throttle refuses an attempt (a lock-out, SEC-03/SEC-29)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = credentials.get("email", credentials.get("username", ""))
            log_event("login_locked", "log-in refused: too many attempts", request=request, login=login_ref(login))
            raise
