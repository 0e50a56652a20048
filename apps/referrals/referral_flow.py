"""The referral's state machine: which step may follow which, and one function that takes a step.

    waiting_consent ──(the family's consent is valid)──▶ sent ──accept──▶ accepted ──assign──▶ assigned
          │                                               │
          └──────────────withdraw (school)────────────────┴──decline (with a reason)──▶ declined

A step is a conditional update (`UPDATE … WHERE status = <from>`) plus its history row in one transaction:
of two people accepting at the same moment, one wins and the other is told the referral was already
answered; there is never a half-done state (docs/youth-care.md, "Referrals")."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Referral, ReferralStep

S = Referral.Status

TRANSITIONS: dict[str, set[str]] = {
    S.WAITING_CONSENT: {S.SENT, S.WITHDRAWN},
    S.SENT: {S.ACCEPTED, S.DECLINED, S.WITHDRAWN},
    S.ACCEPTED: {S.ASSIGNED},
    S.ASSIGNED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}
FINAL = {s for s, following in TRANSITIONS.items() if not following}


def may_move(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, set())


class StaleStep(ValidationError):
    """Someone else took a step first (the referral is no longer in the state this step starts from)."""


def move(referral: Referral, to: str, *, actor=None, note: str = "", **fields) -> Referral:
    """Take one step from the referral's current status to `to`, with its history row, or raise.

    `fields` are written in the same conditional update (who answered, the reason, the assignment)."""
    current = referral.status
    if not may_move(current, to):
        raise ValidationError(
            _("Deze stap kan niet (meer): de verwijzing is %(status)s.") % {"status": S(current).label}
        )
    with transaction.atomic():
        updated = Referral.objects.filter(pk=referral.pk, status=current).update(status=to, **fields)
        if not updated:
            raise StaleStep(_("Iemand anders heeft deze verwijzing net al behandeld. Ververs de pagina."))
        ReferralStep.objects.create(referral=referral, status=to, actor=actor, note=note[:300], at=timezone.now())
    referral.refresh_from_db()
    return referral
