"""Who may import from the pupil administration (listed in the docstring of apps/access/policy.py).

A school's administration (SCHOOL_ADMIN), its director and its IB'er import for that school. A teacher,
an outside professional, an administrator of another school and a platform administrator (is_staff
without a membership) may not; a refusal is a PermissionDenied and a `driehoek.security` log line
(SEC-17/29). A platform administrator may read the import history of a school for support, but never
sees pupils' names in it: only people who may import (and so see the school's pupil list) do.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of
from apps.accounts.security_events import log_event
from apps.organisations.models import Role

IMPORT_ROLES = (Role.SCHOOL_ADMIN, Role.DIRECTOR, Role.IB)


def _usable(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def importable_school_ids(user) -> set[int]:
    if not _usable(user):
        return set()
    return {m.school_id for m in memberships_of(user) if m.role in IMPORT_ROLES and m.school.active}


def may_import(user, school) -> bool:
    return school.pk in importable_school_ids(user)


def may_view_imports(user, school) -> bool:
    return may_import(user, school) or (_usable(user) and user.is_staff)


def may_see_pupil_names(user, school) -> bool:
    return may_import(user, school)


def check_may_import(user, school, request=None) -> None:
    if not may_import(user, school):
        log_event(
            "import_denied", "import refused", request=request, user_id=getattr(user, "pk", None), school_id=school.pk
        )
        raise PermissionDenied(_("U mag voor deze school geen leerlingen importeren."))


def check_may_view(user, school, request=None) -> None:
    if not may_view_imports(user, school):
        log_event(
            "import_denied",
            "import history refused",
            request=request,
            user_id=getattr(user, "pk", None),
            school_id=school.pk,
        )
        raise PermissionDenied(_("U mag de imports van deze school niet bekijken."))
