from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of


def nav_links(user) -> list[tuple[str, str]]:
    """'Kennisbank' for professionals (no query of its own: memberships come from the policy's memo)."""
    if getattr(user, "is_authenticated", False) and memberships_of(user):
        return [(_("Kennisbank"), reverse("knowledge:index"))]
    return []
