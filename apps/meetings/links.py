from django.urls import reverse
from django.utils.translation import gettext as _

from apps.circles.models import Guardianship
from apps.organisations.models import SCHOOL_ROLES, Membership

from .models import Invitation


def nav_links(user) -> list[tuple[str, str]]:
    """'Bijeenkomsten' for school staff, guardians of a pupil and everyone with an invitation (one query
    in the usual case: the checks stop at the first that holds)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if (
        Membership.objects.effective().filter(user=user, role__in=[r.value for r in SCHOOL_ROLES]).exists()
        or Guardianship.objects.filter(user=user).exists()
        or Invitation.objects.filter(user=user).exists()
    ):
        return [(_("Bijeenkomsten"), reverse("meetings:index"))]
    return []
