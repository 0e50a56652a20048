"""Re-authentication before sensitive actions (SEC-10) and rate limits on exports and searches (SEC-38).

- `reauthentication_required` (allauth's): exporting a child's file as PDF, changing one's e-mail address
  (`ACCOUNT_REAUTHENTICATION_REQUIRED`) and ending one's other sessions ask for the password (or the
  two-factor code) again unless the user did so in the last `ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds. A
  session left open on a school computer then does not let a passer-by take the whole file or lock the owner
  out of their account.
- `rate_limited(action)`: per user, counted in the cache every worker shares, limits from
  `DRIEHOEK_RATE_LIMITS` (defaults: 10 exports an hour, 300 searches an hour; a teacher searching for
  pupils all day stays far below that, a script copying every file does not). Past the limit the user gets a
  Dutch 429 page (or JSON for the API) saying when to try again, and a `rate_limited` security event is logged.
"""

import math
from functools import wraps

from allauth.account.decorators import reauthentication_required
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .security_events import log_event

__all__ = ["rate_limited", "reauthentication_required", "too_many_requests"]


def _rates(action: str):
    return allauth_ratelimit.parse_rates(settings.DRIEHOEK_RATE_LIMITS.get(action))


def consume(request, action: str) -> bool:
    """Count one use of `action` by the logged-in user; False once the user is over the limit."""
    usage = allauth_ratelimit.consume(
        request,
        app="driehoek",
        action=action,
        config=settings.DRIEHOEK_RATE_LIMITS,
        user=request.user,
        limit_get=True,
    )
    return usage is not None


def retry_after_seconds(action: str) -> int:
    rates = _rates(action)
    return int(max((rate.duration for rate in rates), default=60))


def too_many_requests(request, action: str):
    """The Dutch 429 answer: a page in the browser, JSON for the API; Retry-After either way."""
    seconds = retry_after_seconds(action)
    minutes = max(1, math.ceil(seconds / 60))
    what = {"export": _("bestanden"), "search": _("zoekopdrachten")}.get(action, _("verzoeken"))
    text = ngettext(
        "U heeft in korte tijd erg veel %(what)s opgevraagd. Probeer het over %(minutes)d minuut opnieuw.",
        "U heeft in korte tijd erg veel %(what)s opgevraagd. Probeer het over %(minutes)d minuten opnieuw.",
        minutes,
    ) % {"what": what, "minutes": minutes}
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": text}, status=429)
    else:
        response = render(request, "429.html", {"message": text}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(action: str, *, when=None):
    """Limit a view per user (SEC-38); `when(request)` says which requests count (e.g. only with a query)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            counts = request.user.is_authenticated and (when is None or when(request))
            if counts and not consume(request, action):
                log_event("rate_limited", "rate limit reached", request=request, user_id=request.user.pk, action=action)
                return too_many_requests(request, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def has_search_query(request) -> bool:
    """Only a search counts against the search limit, not every visit to the page that has the search box."""
    return bool(request.GET.get("q", "").strip())
