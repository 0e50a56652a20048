"""What waits for a guardian in the planner: an open start-of-year round without a chosen time."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .services import children_awaiting_booking


def items(user) -> list[AttentionItem]:
    waiting = children_awaiting_booking(user)
    if len(waiting) == 1:
        child, rnd = waiting[0]
        text = _("Kies een tijd voor het startgesprek van %(name)s") % {"name": child.first_name}
        return [AttentionItem(text, 1, reverse("planner:book", args=[rnd.pk, child.pk]), "todo")]
    return [
        AttentionItem(
            ngettext(
                "Kies een tijd voor het startgesprek van %(n)d kind",
                "Kies een tijd voor de startgesprekken van %(n)d kinderen",
                len(waiting),
            )
            % {"n": len(waiting)},
            len(waiting),
            reverse("planner:index"),
            "todo",
        )
    ]
