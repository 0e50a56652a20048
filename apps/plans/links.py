from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide
from apps.notifications import menu_counts

from .services import PLAN_CATEGORY


def nav_links(user) -> list:
    """ "Mijn afspraken" only for people who own an open agreement."""
    from .models import Agreement, AgreementStatus

    if not user.is_authenticated:
        return []
    has_open = menu_counts.count(
        user, "open_agreements", lambda: int(Agreement.objects.filter(owner=user, status=AgreementStatus.OPEN).exists())
    )
    return [(_("Mijn afspraken"), reverse("plans:mine"))] if has_open else []


def child_links(child, user) -> list:
    """The plan link shows only to people who may see the "support & plan" category."""
    if decide(user, Action.VIEW, child, PLAN_CATEGORY).allowed:
        return [(_("Plan"), reverse("plans:child", args=[child.pk]))]
    return []


def child_summary(child, user) -> dict:
    """The tile line: open agreements this person may see (one count query)."""
    from django.utils.translation import ngettext

    from apps.access.policy import visible_q

    from .models import Agreement, AgreementStatus

    if not decide(user, Action.VIEW, child, PLAN_CATEGORY).allowed:
        return {}
    n = Agreement.objects.filter(
        visible_q(user, PLAN_CATEGORY, owner=""), child=child, status=AgreementStatus.OPEN
    ).count()
    text = ngettext("%(n)s open afspraak", "%(n)s open afspraken", n) % {"n": n} if n else _("Geen open afspraken")
    return {reverse("plans:child", args=[child.pk]): text}
