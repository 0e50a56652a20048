"""Menu and child-page links for conversations (shown only when the policy allows)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, is_professional
from apps.consent.models import Category

from .models import Kind
from .services import creatable_kinds


def nav_links(user) -> list[tuple[str, str]]:
    return [(_("Gesprekken"), reverse("conversations:list"))]


def child_links(child, user) -> list[tuple[str, str]]:
    """Links only where they lead somewhere: planning opens on a kind this person may plan."""
    links = []
    if any(decide(user, Action.VIEW, child, c) for c in (Category.DEVELOPMENT, Category.SUPPORT)):
        links.append((_("Gesprekken"), f"{reverse('conversations:list')}?kind={child.pk}"))
    kinds = creatable_kinds(user, child) if is_professional(user) else []
    if kinds:
        url = reverse("conversations:new", args=[child.pk])
        links.append((_("Gesprek plannen"), url if kinds[0] == Kind.PROGRESS else f"{url}?soort={kinds[0]}"))
    return links
