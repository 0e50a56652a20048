"""Menu and child-page links for the start-of-year planner."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, guardianships_of

from .permissions import organisable_groups
from .services import CATEGORY, rounds_for_child


def nav_links(user) -> list[tuple[str, str]]:
    if guardianships_of(user) or organisable_groups(user).exists():
        return [(_("Startgesprekken"), reverse("planner:index"))]
    return []


def child_links(child, user) -> list[tuple[str, str]]:
    if child.pk not in guardianships_of(user):  # only guardians book; no query for anyone else
        return []
    rnd = rounds_for_child(child).first()
    if rnd and decide(user, Action.CREATE, child, CATEGORY):
        return [(_("Startgesprek: kies een tijd"), reverse("planner:book", args=[rnd.pk, child.pk]))]
    return []
