"""Who may do what with meetings. No child data is involved, so access follows school membership:
staff of the school organise; guardians of pupils of that school follow the "jullie zeiden, wij deden"
page; invited people answer their own invitation. Views and the API only ask these functions."""

from enum import Enum

from apps.circles.models import Guardianship
from apps.organisations.models import SCHOOL_ROLES, Membership


class SchoolAccess(Enum):
    NONE = "none"
    FOLLOW = "follow"  # a guardian: reads the feedback page
    ORGANISE = "organise"  # school staff: runs meetings and actions


def school_access(user, school) -> SchoolAccess:
    """The one rule: active school staff organise, guardians of a pupil of the school follow."""
    if not getattr(user, "is_authenticated", False) or school is None:
        return SchoolAccess.NONE
    if (
        Membership.objects.effective()
        .filter(user=user, school=school, role__in=[r.value for r in SCHOOL_ROLES])
        .exists()
    ):
        return SchoolAccess.ORGANISE
    if Guardianship.objects.filter(user=user, child__school=school).exists():
        return SchoolAccess.FOLLOW
    return SchoolAccess.NONE


def can_organise(user, school) -> bool:
    return school_access(user, school) is SchoolAccess.ORGANISE


def can_follow(user, school) -> bool:
    return school_access(user, school) in (SchoolAccess.ORGANISE, SchoolAccess.FOLLOW)


def organising_schools(user):
    """Schools where this user organises meetings."""
    from apps.organisations.models import School

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    staff = Membership.objects.effective().filter(user=user, role__in=[r.value for r in SCHOOL_ROLES])
    return School.objects.filter(pk__in=staff.values("school_id"))


def following_schools(user):
    """Schools whose feedback page this user may read (as staff or guardian)."""
    from apps.organisations.models import School

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    ids = set(organising_schools(user).values_list("pk", flat=True))
    ids |= set(Guardianship.objects.filter(user=user).values_list("child__school_id", flat=True))
    return School.objects.filter(pk__in=ids)
