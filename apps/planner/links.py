"""Menu and child-page links for the start-of-year planner."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, guardianships_of, request_value

from .permissions import organisable_groups
from .services import CATEGORY, newest_rounds_for_children


def nav_links(user) -> list[tuple[str, str]]:
    if guardianships_of(user) or organisable_groups(user).exists():
        return [(_("Startgesprekken"), reverse("planner:index"))]
    return []


def child_links(child, user) -> list[tuple[str, str]]:
    own = guardianships_of(user)
    if child.pk not in own:  # only guardians book; no query for anyone else
        return []
    # One query for all of this guardian's children (the home page shows a card per child).
    rnd = request_value(("planner.rounds", user.pk), lambda: newest_rounds_for_children(own.keys())).get(child.group_id)
    if rnd and decide(user, Action.CREATE, child, CATEGORY):
        return [(_("Startgesprek: kies een tijd"), reverse("planner:book", args=[rnd.pk, child.pk]))]
    return []
