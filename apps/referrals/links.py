"""Menu link for outside professionals: the consents their organisation received and who works on them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of
from apps.organisations.models import OUTSIDE_ROLES


def nav_links(user) -> list[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    if any(m.role in OUTSIDE_ROLES for m in memberships_of(user)):
        return [(_("Toestemmingen aan uw organisatie"), reverse("referrals:organisation_consents"))]
    return []
