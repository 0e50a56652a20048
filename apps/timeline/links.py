from django.urls import reverse
from django.utils.translation import gettext as _

from .services import viewable_categories


def child_links(child, user) -> list:
    """The timeline link shows when this person may see at least one category of the child."""
    if viewable_categories(user, child):
        return [(_("Tijdlijn"), reverse("timeline:child", args=[child.pk]))]
    return []


def child_summary(child, user) -> dict:
    """The tile line: how many moments this person sees, and the date of the latest (one aggregate query)."""
    from django.db.models import Count, Max
    from django.utils.formats import date_format
    from django.utils.translation import ngettext

    from .services import entries_for

    categories = viewable_categories(user, child)
    if not categories:
        return {}
    found = entries_for(user, child, categories=categories).order_by().aggregate(n=Count("pk"), last=Max("happened_on"))
    if not found["n"]:
        text = _("Nog niets vastgelegd")
    else:
        text = ngettext(
            "%(n)s moment, het laatste op %(day)s", "%(n)s momenten, het laatste op %(day)s", found["n"]
        ) % {"n": found["n"], "day": date_format(found["last"], "j F Y")}
    return {reverse("timeline:child", args=[child.pk]): text}
