from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide


def nav_links(user) -> list[tuple]:
    if not user.is_authenticated:
        return []
    from .services import unread_message_count

    return [(_("Berichten"), reverse("messaging:inbox"), unread_message_count(user))]


def child_links(child, user) -> list[tuple[str, str]]:
    if decide(user, Action.VIEW, child).allowed:
        return [(_("Berichten"), reverse("messaging:child", args=[child.pk]))]
    return []
