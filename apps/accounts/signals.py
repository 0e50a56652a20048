"""The session clock starts at log-in, not at the first page after it (SEC-08); log-in events are logged (SEC-29)."""

import logging
import time

from allauth.mfa.signals import authentication_failed as mfa_failed
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .enrolment import end_grant
from .security_events import log_event, login_ref


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["driehoek_started"] = now
        request.session["driehoek_seen"] = now


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    log_event("login", "logged in", request=request, level=logging.INFO, user_id=user.pk)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    log_event("logout", "logged out", request=request, level=logging.INFO, user_id=getattr(user, "pk", None))


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    """Any failed authenticate() call: the allauth form, and anything else that checks a password."""
    login = credentials.get("email", credentials.get("username", ""))
    log_event("login_failed", "log-in failed", request=request, login=login_ref(str(login)))


@receiver(mfa_failed)
def log_mfa_failure(sender, request, user, **kwargs):
    log_event("mfa_failed", "two-factor code refused", request=request, user_id=user.pk)


@receiver(authenticator_added)
def end_enrolment_grant(sender, request, user, authenticator, **kwargs):
    """The enrolment link was for setting up one authenticator; once it is there, the session's grant ends."""
    if request is not None and hasattr(request, "session"):
        end_grant(request)
    log_event("mfa_enrolled", "authenticator added", request=request, level=logging.INFO, user_id=user.pk)
