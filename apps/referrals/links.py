"""Menu links for outside professionals (consents to their organisation, asking a school to be added) and for
the IB'er or director (join requests to their school)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import Action, decide, guardianships_of, is_professional, memberships_of, request_value
from apps.consent.models import Category
from apps.organisations.models import OUTSIDE_ROLES

from . import permissions
from .models import Referral


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


def _has_referrals(child, user) -> bool:
    """For a guardian, one query for all their children (a card per child on the home page); else this child."""
    own = guardianships_of(user)
    if child.pk not in own:
        return child.referrals.exists()
    with_referrals = request_value(
        ("referrals.children", user.pk),
        lambda: set(Referral.objects.filter(child_id__in=list(own)).order_by().values_list("child_id", flat=True)),
    )
    return child.pk in with_referrals


def child_links(child, user) -> list:
    """Refer the child (IB'er, director, coordinator), and follow its referrals (the family, the school).
    Checked with `decide` (nothing logged): a link is shown only where it leads somewhere."""
    links = []
    if decide(user, Action.MANAGE_CIRCLE, child, Category.SUPPORT).allowed and is_professional(user):
        links.append((_("Verwijzen naar jeugdhulp"), reverse("referrals:referral_new", args=[child.pk])))
    if _has_referrals(child, user) and decide(user, Action.VIEW, child, Category.SUPPORT).allowed:
        links.append((_("Verwijzingen"), reverse("referrals:child_referrals", args=[child.pk])))
    return links
