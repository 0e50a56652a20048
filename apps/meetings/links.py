from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import guardianships_of, memberships_of

from .models import Invitation


def nav_links(user) -> list[tuple[str, str]]:
    """'Bijeenkomsten' for school staff, guardians of a pupil and everyone with an invitation (no query of its
    own in the usual case: the roles and guardianships come from the policy's memo of this request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if (
        any(m.is_school_role for m in memberships_of(user))
        or guardianships_of(user)
        or Invitation.objects.filter(user=user).exists()
    ):
        return [(_("Bijeenkomsten"), reverse("meetings:index"))]
    return []
