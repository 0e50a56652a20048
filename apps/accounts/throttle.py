"""The log-in throttle (SEC-03): slow down password guessing without letting anyone lock out the real user.

Failed log-ins are counted twice, in the cache every worker shares:

- per account *and* address (`LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS`, default 5 in 15 minutes): someone
  guessing a teacher's password from one address is stopped there, while the teacher, at school or at home,
  logs in as usual from every other address;
- per address (`LOGIN_FAILURES_PER_ADDRESS`, default 20 in 15 minutes, looser): one address trying many
  accounts is stopped, yet ten mistyped or unknown e-mail addresses from a school's shared connection do not
  lock out everyone behind it.

Which address is the client's is decided in one place, `client_ip`: the peer address unless
`TRUSTED_PROXY_COUNT` says how many proxies of our own stand in front (then X-Forwarded-For is read from the
right, past those proxies), or `TRUSTED_CLIENT_IP_HEADER` names a header the proxy always overwrites. A
header the client sent itself is never trusted by default. The refusal tells the user how long to wait and
that resetting the password always works (the reset flow has its own, separate limit).
"""

import logging
import math

from allauth.account import app_settings as account_settings
from allauth.core.internal import httpkit
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import ngettext

log = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The client's address, as far as our own proxies vouch for it (see the module docstring)."""
    try:
        return httpkit.get_client_ip(request)
    except ImproperlyConfigured:
        # Fewer X-Forwarded-For entries than trusted proxies: the request did not pass all of them, so the
        # peer address is the only one we know to be true.
        log.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT; using the peer address")
        return httpkit.clean_client_ip(request.META.get("REMOTE_ADDR", "")) or None


def account_and_address_key(login: str, ip: str | None) -> str:
    """The throttle's key for one account from one address (allauth counts per account alone)."""
    return f"{(login or '').strip().lower()}@{ip or '-'}"


def lockout_minutes() -> int:
    """The longest window of the log-in limits: after that the user may certainly try again."""
    rates = allauth_ratelimit.parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
    return max(1, math.ceil(max(rate.duration for rate in rates) / 60))


def lockout_message() -> str:
    minutes = lockout_minutes()
    return ngettext(
        "Te veel mislukte inlogpogingen. Wacht %(minutes)d minuut en probeer het dan opnieuw. Weet u uw "
        "wachtwoord niet meer? Kies dan ‘Wachtwoord vergeten?’: dat werkt ook nu, en met een nieuw wachtwoord "
        "kunt u meteen inloggen.",
        "Te veel mislukte inlogpogingen. Wacht %(minutes)d minuten en probeer het dan opnieuw. Weet u uw "
        "wachtwoord niet meer? Kies dan ‘Wachtwoord vergeten?’: dat werkt ook nu, en met een nieuw wachtwoord "
        "kunt u meteen inloggen.",
        minutes,
    ) % {"minutes": minutes}
