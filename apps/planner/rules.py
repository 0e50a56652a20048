"""Who may open a round of start-of-year conversations for a class.

A round is about a whole class, not one child's record, so it is decided here: school staff of the
class's school (its teachers, the IB'er, the director). The children's data itself is still read and
written only through the access policy (`apps.access.policy`).
"""

from apps.organisations.models import Membership, Role

ORGANISER_ROLES = (Role.IB, Role.DIRECTOR)


def may_organise(user, group) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    memberships = Membership.objects.effective().filter(user=user, school_id=group.school_id)
    return (
        memberships.filter(role=Role.TEACHER, groups=group).exists()
        or memberships.filter(role__in=ORGANISER_ROLES).exists()
    )


def organisable_groups(user):
    from apps.organisations.models import Group

    memberships = Membership.objects.effective().filter(user=user)
    school_wide = memberships.filter(role__in=ORGANISER_ROLES).values("school_id")
    own = memberships.filter(role=Role.TEACHER).values("groups")
    from django.db.models import Q

    return Group.objects.filter(Q(school_id__in=school_wide) | Q(pk__in=own)).order_by("year_level", "name")
