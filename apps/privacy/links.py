from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide


def child_links(child, user) -> list:
    """The family's rights page (a copy, corrections, how long the file is kept) for whoever may ask for a copy,
    and for the coordinator who handles requests and legal holds."""
    if any(
        decide(user, action, child).allowed
        for action in (Action.REQUEST_INSPECTION, Action.REQUEST_YOUTH_CARE_INSPECTION, Action.LEGAL_HOLD)
    ):
        return [(_("Inzage en bewaren van het dossier"), reverse("privacy:child", args=[child.pk]))]
    return []


def nav_links(user) -> list:
    """The coordinator's list of inspection and correction requests (IB'ers, directors, and record owners)."""
    from apps.access.policy import memberships_of
    from apps.organisations.models import Role

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if any(m.role in (Role.IB, Role.DIRECTOR) for m in memberships_of(user)):
        return [(_("Inzageverzoeken"), reverse("privacy:inbox"))]
    return []
