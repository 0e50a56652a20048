"""Who may do what with meetings (listed in `apps.access.policy`'s docstring). No child data is involved,
so access follows school membership as the policy reads it (`memberships_of`): staff of the school organise;
guardians of pupils of that school follow the "jullie zeiden, wij deden" page; invited people answer their
own invitation. Views and the API only ask these functions."""

from enum import Enum

from apps.access.policy import memberships_of
from apps.circles.models import Guardianship


class SchoolAccess(Enum):
    NONE = "none"
    FOLLOW = "follow"  # a guardian: reads the feedback page
    ORGANISE = "organise"  # school staff: runs meetings and actions


def school_access(user, school) -> SchoolAccess:
    """The one rule: active school staff organise, guardians of a pupil of the school follow."""
    if not getattr(user, "is_authenticated", False) or school is None:
        return SchoolAccess.NONE
    if school.pk in _staff_school_ids(user):
        return SchoolAccess.ORGANISE
    if Guardianship.objects.filter(user=user, child__school=school).exists():
        return SchoolAccess.FOLLOW
    return SchoolAccess.NONE


def _staff_school_ids(user) -> set[int]:
    return {m.school_id for m in memberships_of(user) if m.is_school_role}


def can_organise(user, school) -> bool:
    return school_access(user, school) is SchoolAccess.ORGANISE


def can_follow(user, school) -> bool:
    return school_access(user, school) in (SchoolAccess.ORGANISE, SchoolAccess.FOLLOW)


def organising_schools(user):
    """Schools where this user organises meetings."""
    from apps.organisations.models import School

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(pk__in=_staff_school_ids(user))


def following_schools(user):
    """Schools whose feedback page this user may read (as staff or guardian)."""
    from apps.organisations.models import School

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    ids = set(organising_schools(user).values_list("pk", flat=True))
    ids |= set(Guardianship.objects.filter(user=user).values_list("child__school_id", flat=True))
    return School.objects.filter(pk__in=ids)


def can_restart(user, school) -> bool:
    """The director of the school restarts a stalled or stopped action with a new owner (seed 000)."""
    from apps.organisations.models import Role

    if not getattr(user, "is_authenticated", False) or school is None:
        return False
    return any(m.school_id == school.pk and m.role == Role.DIRECTOR for m in memberships_of(user))


def can_view_community(user, community) -> bool:
    """Staff of the school, and the named members of the community (a parent, the CJG worker, the process
    facilitator, the researcher), read the community's page: its members and sessions, no child data."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_organise(user, community.school):
        return True
    return community.members.filter(user=user).exists()
