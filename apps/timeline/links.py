from django.urls import reverse
from django.utils.translation import gettext as _

from .services import viewable_categories


def child_links(child, user) -> list:
    """The timeline link shows when this person may see at least one category of the child."""
    if viewable_categories(user, child):
        return [(_("Tijdlijn"), reverse("timeline:child", args=[child.pk]))]
    return []
