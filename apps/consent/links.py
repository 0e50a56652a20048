from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules


def child_links(child, user) -> list:
    """From 16: the young person's own choice of what the parents see, and the parents' view of it."""
    if not rules.young_person_decides(child, timezone.localdate()):
        return []
    url = reverse("consent:parent_view", args=[child.pk])
    if child.user_id == user.pk:
        return [(_("Wat je ouders zien (jij beslist)"), url)]
    if any(g.user_id == user.pk for g in child.guardianships.all()):
        return [(_("Wat %(name)s met u deelt (vanaf 16 beslist %(name)s dit)") % {"name": child.first_name}, url)]
    return [(_("Wat ouders zien"), url)]
