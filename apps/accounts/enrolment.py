"""Setting up two-factor needs a one-time link from the professional's own mailbox (SEC-01/SEC-06).

Trust on first use would let anyone who has a professional's password enrol their own authenticator app
and from then on pass two-factor as that person. So a professional without TOTP only reaches allauth's
set-up page after opening an enrolment link that was e-mailed to the account's address: single-use,
valid for `ENROLMENT_LINK_VALIDITY` (24 hours), bound to that account, redeemed with a POST (a mail
scanner that fetches the link uses nothing up). Redeeming it lets this one session set up TOTP for
`ENROLMENT_GRANT_SECONDS` (15 minutes). The e-mail address itself can only be changed behind two-factor
and re-authentication (middleware.GUARDED_PREFIXES), so a password alone never redirects the link.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications.services import queue_mail

from .models import ENROLMENT_LINK_VALIDITY, TwoFactorEnrolment
from .security_events import log_event

ENROLMENT_GRANT_SECONDS = 15 * 60
RESEND_AFTER_SECONDS = 5 * 60  # one link per five minutes, so the button cannot flood a mailbox
SESSION_KEY = "driehoek_totp_enrol"


@transaction.atomic
def send_enrolment_link(*, user, request=None) -> TwoFactorEnrolment | None:
    """E-mail a fresh link to the user's own address; earlier unused links stop working.

    Returns None (and sends nothing) when a link went out less than five minutes ago.
    """
    recent = timezone.now() - timedelta(seconds=RESEND_AFTER_SECONDS)
    if TwoFactorEnrolment.objects.filter(user=user, used_at__isnull=True, created_at__gt=recent).exists():
        return None
    TwoFactorEnrolment.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    token, token_hash = TwoFactorEnrolment.new_token()
    link = TwoFactorEnrolment.objects.create(
        user=user, token_hash=token_hash, expires_at=timezone.now() + ENROLMENT_LINK_VALIDITY
    )
    url = settings.SITE_URL + reverse("enrol_two_factor_link", args=[token])
    body = _(
        "Hallo %(name)s,\n\nU stelt tweestapsverificatie in voor Driehoek. Open deze link op het apparaat waarop "
        "u bent ingelogd (24 uur geldig, één keer te gebruiken):\n%(url)s\n\nHeeft u dit niet zelf gevraagd? Dan "
        "kent iemand anders misschien uw wachtwoord. Kies dan meteen een nieuw wachtwoord via ‘Wachtwoord "
        "vergeten?’ en meld het bij uw school of organisatie.\n"
    ) % {"name": user.get_short_name(), "url": url}
    queue_mail(str(_("Tweestapsverificatie instellen voor Driehoek")), body, [user.email])
    log_event("enrolment_link_sent", "two-factor enrolment link sent", request=request, user_id=user.pk)
    return link


def check_enrolment_link(token: str, *, user) -> TwoFactorEnrolment:
    """The link for this token, if it is still usable and belongs to `user`; else a Dutch refusal."""
    link = TwoFactorEnrolment.find(token)
    if link is None or not link.is_usable:
        raise ValidationError(_("Deze link werkt niet meer: hij is al gebruikt of verlopen. Vraag een nieuwe aan."))
    if link.user_id != user.pk:
        raise PermissionDenied(_("Deze link hoort bij een ander account. Log in met het account waarvoor hij is."))
    return link


@transaction.atomic
def redeem_enrolment_link(request, token: str) -> None:
    """Use the link once: this session may set up TOTP for the next 15 minutes."""
    try:
        link = check_enrolment_link(token, user=request.user)
    except PermissionDenied:
        log_event(
            "enrolment_link_refused", "enrolment link of another account", request=request, user_id=request.user.pk
        )
        raise
    claimed = TwoFactorEnrolment.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not claimed:
        raise ValidationError(_("Deze link werkt niet meer: hij is al gebruikt of verlopen. Vraag een nieuwe aan."))
    grant_enrolment(request)
    log_event("enrolment_link_used", "two-factor enrolment link used", request=request, user_id=request.user.pk)


def grant_enrolment(request) -> None:
    """Let this session set up TOTP for 15 minutes. Only call it right after the user proved they hold the
    account's mailbox: an enrolment link, or (for a new professional) the invite link they just accepted."""
    request.session[SESSION_KEY] = {"user": request.user.pk, "until": int(time.time()) + ENROLMENT_GRANT_SECONDS}


def may_enrol(request) -> bool:
    """Whether this session redeemed an enrolment link for its user less than 15 minutes ago."""
    grant = request.session.get(SESSION_KEY) or {}
    return grant.get("user") == request.user.pk and grant.get("until", 0) > time.time()


def end_grant(request) -> None:
    request.session.pop(SESSION_KEY, None)
