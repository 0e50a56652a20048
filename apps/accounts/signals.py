"""The session clock starts at log-in, not at the first page after it (SEC-08)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["driehoek_started"] = now
        request.session["driehoek_seen"] = now
