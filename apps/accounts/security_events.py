"""Security events of logging in, as structured records on the `driehoek.security` logger (SEC-29).

Never the password, the code or the e-mail address itself (SEC-30): a failed log-in carries a keyed
hash of what was typed, so repeated attempts on one account can be correlated without storing it.
"""

import logging

from django.utils.crypto import salted_hmac

security_log = logging.getLogger("driehoek.security")


def login_ref(login: str) -> str:
    return salted_hmac("driehoek.security.login", (login or "").strip().lower()).hexdigest()[:16]


def client_ip(request) -> str | None:
    """The client's address as the log-in throttle sees it (behind trusted proxies only, SEC-03)."""
    from .throttle import client_ip as throttled_ip

    return throttled_ip(request) if request is not None else None


def log_event(event: str, message: str, *, request=None, level: int = logging.WARNING, **fields) -> None:
    security_log.log(level, message, extra={"event": event, "ip": client_ip(request), **fields})
