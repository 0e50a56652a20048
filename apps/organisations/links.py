"""Menu links for administrators: the platform pages, staff and the admin log."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions


def nav_links(user) -> list[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    if permissions.may_administer_platform(user):
        links.append((_("Platformbeheer"), reverse("organisations:platform")))
    if permissions.staff_schools(user):
        links.append((_("Medewerkers"), reverse("organisations:staff_home")))
    if permissions.staff_organisations(user):
        links.append((_("Collega's"), reverse("organisations:organisation_staff_home")))
    if permissions.may_read_admin_log(user):
        links.append((_("Beheerlog"), reverse("organisations:admin_log")))
    return links
