from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from .security_events import log_event, login_ref


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: guardians and children arrive through a school's invite."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """Log when the log-in throttle refuses an attempt (a lock-out, SEC-03/SEC-29)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = credentials.get("email", credentials.get("username", ""))
            log_event("login_locked", "log-in refused: too many attempts", request=request, login=login_ref(login))
            raise
