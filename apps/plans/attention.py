"""What waits for this person in the plans: own agreements that are overdue or due this week."""

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from . import permissions
from .services import DUE_SOON_DAYS, my_open_agreement_counts


def opp_items(user) -> list[AttentionItem]:
    """Late OPPs for whoever drafts them; a handelingsdeel waiting for this parent's answer (docs/opp.md)."""
    from .opp import services as opp

    result = []
    if getattr(user, "is_authenticated", False) and permissions.drafting_school_ids(user):
        late = list(opp.late_opps(user).select_related("child")[:50])
        if late:
            text = ngettext(
                "%(n)d OPP is niet op tijd vastgesteld (binnen 6 weken)",
                "%(n)d OPP's zijn niet op tijd vastgesteld (binnen 6 weken)",
                len(late),
            ) % {"n": len(late)}
            result.append(AttentionItem(text, len(late), opp.opp_url(late[0].child), "late"))
    waiting = list(opp.waiting_for_my_consent(user)[:20]) if getattr(user, "is_authenticated", False) else []
    if waiting:
        text = ngettext(
            "%(n)d handelingsdeel van een OPP wacht op uw instemming",
            "%(n)d handelingsdelen van een OPP wachten op uw instemming",
            len(waiting),
        ) % {"n": len(waiting)}
        result.append(AttentionItem(text, len(waiting), opp.opp_url(waiting[0].opp.child), "todo"))
    return result


def items(user) -> list[AttentionItem]:
    counts = my_open_agreement_counts(user)
    url = reverse("plans:mine")
    return opp_items(user) + [
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
