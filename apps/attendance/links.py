"""Menu and child-page links for absence (shown only when the policy allows)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, memberships_of
from apps.consent.models import Category
from apps.organisations.models import Role

from . import permissions


def nav_links(user) -> list[tuple[str, str]]:
    """No queries of its own: the memberships are read once per request by the policy anyway."""
    if not user.is_authenticated:
        return []
    roles = {m.role for m in memberships_of(user)}
    if not roles:  # parents (and pupils, who get a friendly empty page)
        return [(_("Ziek melden"), reverse("attendance:sick_report"))]
    links = []
    if roles & set(permissions.REGISTER_ROLES):
        links.append((_("Absentie"), reverse("attendance:register_index")))
    if roles & {*permissions.REGISTER_ROLES, Role.ATTENDANCE_OFFICER}:
        links.append((_("Verzuimsignalen"), reverse("attendance:signals")))
    if roles & set(permissions.REGISTER_ROLES):
        links.append((_("Verzuimoverzicht"), reverse("attendance:overview_index")))
    return links


def child_links(child, user) -> list[tuple[str, str]]:
    if decide(user, Action.VIEW, child, Category.HEALTH):
        return [(_("Verzuim"), reverse("attendance:child", args=[child.pk]))]
    return []
