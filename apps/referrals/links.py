"""Menu links for outside professionals (consents to their organisation, asking a school to be added) and for
the IB'er or director (join requests to their school)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of
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
    return links
