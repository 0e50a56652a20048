"""What waits for this person in meetings: invitations to answer before the deadline, stalled actions."""

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .services import my_stalled_actions, unanswered_invitations


def items(user) -> list[AttentionItem]:
    invitations = unanswered_invitations(user).count()
    stalled_schools = list(my_stalled_actions(user).values_list("school_id", flat=True))
    stalled = len(stalled_schools)
    stalled_url = (
        reverse("meetings:actions", args=[stalled_schools[0]])
        if len(set(stalled_schools)) == 1
        else reverse("meetings:index")
    )
    return [
        AttentionItem(
            ngettext(
                "%(n)d actie van u staat al zes weken stil",
                "%(n)d acties van u staan al zes weken stil",
                stalled,
            )
            % {"n": stalled},
            stalled,
            stalled_url,
            "late",
        ),
        AttentionItem(
            ngettext(
                "%(n)d uitnodiging voor een bijeenkomst wacht op uw aanmelding",
                "%(n)d uitnodigingen voor een bijeenkomst wachten op uw aanmelding",
                invitations,
            )
            % {"n": invitations},
            invitations,
            reverse("meetings:index"),
            "todo",
        ),
    ]
