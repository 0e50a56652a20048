"""What waits for this person in conversations: feedback to send, invitations to answer, forms to fill in."""

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .services import FEEDBACK_SCHOOL_DAYS, feedback_overdue_count, waiting_for_me_counts


def items(user) -> list[AttentionItem]:
    url = reverse("conversations:list")
    overdue = feedback_overdue_count(user)
    waiting = waiting_for_me_counts(user)
    return [
        AttentionItem(
            ngettext(
                "%(n)d gesprek wacht al meer dan %(days)d schooldagen op uw terugkoppeling",
                "%(n)d gesprekken wachten al meer dan %(days)d schooldagen op uw terugkoppeling",
                overdue,
            )
            % {"n": overdue, "days": FEEDBACK_SCHOOL_DAYS},
            overdue,
            url,
            "late",
        ),
        AttentionItem(
            ngettext(
                "%(n)d uitnodiging voor een gesprek heeft nog geen antwoord van u",
                "%(n)d uitnodigingen voor een gesprek hebben nog geen antwoord van u",
                waiting["unanswered"],
            )
            % {"n": waiting["unanswered"]},
            waiting["unanswered"],
            url,
            "todo",
        ),
        AttentionItem(
            ngettext(
                "%(n)d voorbereiding voor een gesprek is nog niet ingevuld",
                "%(n)d voorbereidingen voor een gesprek zijn nog niet ingevuld",
                waiting["unprepared"],
            )
            % {"n": waiting["unprepared"]},
            waiting["unprepared"],
            url,
            "todo",
        ),
    ]
