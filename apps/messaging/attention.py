"""What waits for this person in messages: threads with something new from someone else."""

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .services import unread_thread_count


def items(user) -> list[AttentionItem]:
    unread = unread_thread_count(user)
    return [
        AttentionItem(
            ngettext(
                "%(n)d gesprek met een ongelezen bericht",
                "%(n)d gesprekken met ongelezen berichten",
                unread,
            )
            % {"n": unread},
            unread,
            reverse("messaging:inbox"),
            "todo",
        )
    ]
