"""Who runs a school's office screens (pupils, groups, guardians, invitations, gezag).

The staff who manage circles at a school (`Action.MANAGE_CIRCLE` in the access policy's `SCHOOL_RIGHTS`:
the school administration, the IB'er, the director). What each of them sees of a pupil is still the
policy's: lists are `visible_children` and every name shown is logged with `log_list`.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.access.policy import SCHOOL_RIGHTS, Action, memberships_of
from apps.accounts.security_events import log_event


def office_schools(user) -> list:
    return [
        m.school
        for m in memberships_of(user)
        if m.is_school_role and Action.MANAGE_CIRCLE in SCHOOL_RIGHTS.get(m.role, {}) and m.school.active
    ]


def may_run_office(user) -> bool:
    return bool(office_schools(user))


def office_school(request, school_id=None):
    """The school whose office this user runs (the chosen one when they work at several); refused and logged."""
    schools = office_schools(request.user)
    chosen = [s for s in schools if school_id is None or str(s.pk) == str(school_id)]
    if not chosen:
        log_event("office_refused", "school office refused", request=request, user_id=request.user.pk)
        raise PermissionDenied(_("Dit kan alleen de schooladministratie, de IB'er of de directeur van deze school."))
    return chosen[0]
