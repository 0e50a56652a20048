"""Menu and child-page links for conversations (shown only when the policy allows)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, is_professional
from apps.consent.models import Category


def nav_links(user) -> list[tuple[str, str]]:
    return [(_("Gesprekken"), reverse("conversations:list"))]


def child_links(child, user) -> list[tuple[str, str]]:
    links = []
    if decide(user, Action.VIEW, child, Category.DEVELOPMENT):
        links.append((_("Gesprekken"), f"{reverse('conversations:list')}?kind={child.pk}"))
    if decide(user, Action.CREATE, child, Category.DEVELOPMENT) and is_professional(user):
        links.append((_("Gesprek plannen"), reverse("conversations:new", args=[child.pk])))
    return links
