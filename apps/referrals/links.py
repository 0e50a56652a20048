"""Menu links for outside professionals (consents to their organisation, asking a school to be added) and for
the IB'er or director (join requests to their school)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, is_professional, memberships_of
from apps.consent.models import Category
from apps.organisations.models import OUTSIDE_ROLES

from . import permissions


def nav_links(user) -> list[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    if any(m.role in OUTSIDE_ROLES for m in memberships_of(user)):
        links.append((_("Toestemmingen aan uw organisatie"), reverse("referrals:organisation_consents")))
    if permissions.may_ask_to_join(user):
        links.append((_("Vragen om toegevoegd te worden"), reverse("referrals:ask_to_join")))
    if permissions.handling_school_ids(user):
        links.append((_("Verzoeken van jeugdhulp"), reverse("referrals:join_requests")))
    if permissions.handling_school_ids(user) or any(m.role in OUTSIDE_ROLES for m in memberships_of(user)):
        links.append((_("Verwijzingen"), reverse("referrals:referral_list")))
    if permissions.response_time_organisations(user) is not None:
        links.append((_("Reactietijden op verwijzingen"), reverse("referrals:response_times")))
    return links


def child_links(child, user) -> list:
    """Refer the child (IB'er, director, coordinator), and follow its referrals (the family, the school).
    Checked with `decide` (nothing logged): a link is shown only where it leads somewhere."""
    links = []
    if decide(user, Action.MANAGE_CIRCLE, child, Category.SUPPORT).allowed and is_professional(user):
        links.append((_("Verwijzen naar jeugdhulp"), reverse("referrals:referral_new", args=[child.pk])))
    if child.referrals.exists() and decide(user, Action.VIEW, child, Category.SUPPORT).allowed:
        links.append((_("Verwijzingen"), reverse("referrals:child_referrals", args=[child.pk])))
    return links
