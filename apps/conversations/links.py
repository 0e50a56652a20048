"""Menu and child-page links for conversations (shown only when the policy allows)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, is_professional
from apps.consent.models import Category

from .models import Kind
from .services import creatable_kinds


def nav_links(user) -> list[tuple[str, str]]:
    return [(_("Gesprekken"), reverse("conversations:list"))]


def child_links(child, user) -> list[tuple[str, str]]:
    """Links only where they lead somewhere: planning opens on a kind this person may plan."""
    links = []
    if any(decide(user, Action.VIEW, child, c) for c in (Category.DEVELOPMENT, Category.SUPPORT)):
        links.append((_("Gesprekken"), f"{reverse('conversations:list')}?kind={child.pk}"))
    kinds = creatable_kinds(user, child) if is_professional(user) else []
    if kinds:
        url = reverse("conversations:new", args=[child.pk])
        links.append((_("Gesprek plannen"), url if kinds[0] == Kind.PROGRESS else f"{url}?soort={kinds[0]}"))
    return links


def child_summary(child, user) -> dict:
    """The tile line: the next planned conversation about this child this person may see (one query)."""
    from django.db.models import Count, Min
    from django.utils import timezone
    from django.utils.formats import date_format

    from .models import Status
    from .services import conversations_for

    if not any(decide(user, Action.VIEW, child, c) for c in (Category.DEVELOPMENT, Category.SUPPORT)):
        return {}
    found = (
        conversations_for(user)
        .filter(child=child, status=Status.PLANNED, starts_at__gte=timezone.now())
        .order_by()
        .aggregate(n=Count("pk"), first=Min("starts_at"))
    )
    if not found["n"]:
        text = _("Geen gesprek op de agenda")
    else:
        day = date_format(timezone.localtime(found["first"]), "j F Y")
        text = _("Volgend gesprek: %(day)s") % {"day": day}
    return {f"{reverse('conversations:list')}?kind={child.pk}": text}
