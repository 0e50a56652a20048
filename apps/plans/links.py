from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide

from .services import PLAN_CATEGORY


def nav_links(user) -> list:
    """ "Mijn afspraken" only for people who own an open agreement."""
    from .models import Agreement, AgreementStatus

    if user.is_authenticated and Agreement.objects.filter(owner=user, status=AgreementStatus.OPEN).exists():
        return [(_("Mijn afspraken"), reverse("plans:mine"))]
    return []


def child_links(child, user) -> list:
    """The plan link shows only to people who may see the "support & plan" category."""
    if decide(user, Action.VIEW, child, PLAN_CATEGORY).allowed:
        return [(_("Plan"), reverse("plans:child", args=[child.pk]))]
    return []
