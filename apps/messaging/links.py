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


def child_summary(child, user) -> dict:
    """The tile line: the subjects about this child this person may see, and when the latest began."""
    from django.db.models import Count, Max
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from .services import visible_threads

    if not decide(user, Action.VIEW, child).allowed:
        return {}
    found = visible_threads(user).filter(child=child).order_by().aggregate(n=Count("pk"), last=Max("last_message_at"))
    if not found["n"]:
        text = _("Nog geen berichten")
    else:
        text = ngettext(
            "%(n)s onderwerp, laatste bericht op %(day)s", "%(n)s onderwerpen, laatste bericht op %(day)s", found["n"]
        ) % {"n": found["n"], "day": date_format(found["last"], "j F Y")}
    return {reverse("messaging:child", args=[child.pk]): text}
