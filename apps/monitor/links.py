from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import running_school_ids


def nav_links(user) -> list[tuple[str, str]]:
    """'Peiling' for the director and IB'er (no query: memberships come from the policy's memo). Invited
    parents and professionals reach their questionnaire through the notification."""
    if running_school_ids(user):
        return [(_("Peiling samenwerking"), reverse("monitor:index"))]
    return []
