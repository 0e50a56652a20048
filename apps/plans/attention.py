"""What waits for this person in the plans: own agreements that are overdue or due this week."""

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .services import DUE_SOON_DAYS, my_open_agreement_counts


def items(user) -> list[AttentionItem]:
    counts = my_open_agreement_counts(user)
    url = reverse("plans:mine")
    return [
        AttentionItem(
            ngettext(
                "%(n)d afspraak van u is over de datum",
                "%(n)d afspraken van u zijn over de datum",
                counts["overdue"],
            )
            % {"n": counts["overdue"]},
            counts["overdue"],
            url,
            "late",
        ),
        AttentionItem(
            ngettext(
                "%(n)d afspraak van u moet binnen %(days)d dagen gebeuren",
                "%(n)d afspraken van u moeten binnen %(days)d dagen gebeuren",
                counts["due_soon"],
            )
            % {"n": counts["due_soon"], "days": DUE_SOON_DAYS},
            counts["due_soon"],
            url,
            "todo",
        ),
    ]
