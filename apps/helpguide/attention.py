"""What waits for this person in the help guide: questions routed to them that nobody picked up yet."""

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .services import unacknowledged_counts


def items(user) -> list[AttentionItem]:
    counts = unacknowledged_counts(user)
    in_time = counts["waiting"] - counts["overdue"]
    url = reverse("helpguide:questions")
    return [
        AttentionItem(
            ngettext(
                "%(n)d hulpvraag aan u is niet op tijd opgepakt",
                "%(n)d hulpvragen aan u zijn niet op tijd opgepakt",
                counts["overdue"],
            )
            % {"n": counts["overdue"]},
            counts["overdue"],
            url,
            "late",
        ),
        AttentionItem(
            ngettext(
                "%(n)d hulpvraag aan u wacht tot u hem oppakt",
                "%(n)d hulpvragen aan u wachten tot u ze oppakt",
                in_time,
            )
            % {"n": in_time},
            in_time,
            url,
            "todo",
        ),
    ]
