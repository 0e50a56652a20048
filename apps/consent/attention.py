"""What waits for this person in consent: a consent about their child (or about themselves) to sign."""

from collections import Counter

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.extensions import AttentionItem

from .models import ConsentSignature
from .services import awaiting_signature


def items(user) -> list[AttentionItem]:
    waiting = awaiting_signature(user)
    per_child = Counter((consent.child, capacity) for consent, capacity in waiting)
    result = []
    for (child, capacity), n in per_child.items():
        if capacity == ConsentSignature.As.CHILD:  # the pupil themselves: "je"
            text = ngettext(
                "%(n)d toestemming wacht op je handtekening",
                "%(n)d toestemmingen wachten op je handtekening",
                n,
            ) % {"n": n}
        else:
            text = ngettext(
                "%(n)d toestemming over %(child)s wacht op uw handtekening",
                "%(n)d toestemmingen over %(child)s wachten op uw handtekening",
                n,
            ) % {"n": n, "child": child.first_name}
        result.append(AttentionItem(text, n, reverse("consent:page", args=[child.pk]), "todo"))
    return result
