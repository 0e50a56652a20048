"""Who may open a round of start-of-year conversations for a class (listed in `apps.access.policy`'s
docstring).

A round is about a whole class, not one child's record, so it is decided here: the class's own teachers,
and the IB'er and the director of its school, as the policy reads the memberships (`memberships_of`). The
children's data itself (bookings, the children's names in the overview) is read and written only through
the access policy, and lists of it are built from `visible_children`.
"""

from django.db.models import Q

from apps.access.policy import memberships_of
from apps.organisations.models import Role

ORGANISER_ROLES = (Role.IB, Role.DIRECTOR)


def _scopes(user) -> tuple[set[int], set[int]]:
    """(schools where the user organises for every class, classes the user teaches)."""
    if not getattr(user, "is_authenticated", False):
        return set(), set()
    schools, groups = set(), set()
    for m in memberships_of(user):
        if m.role in ORGANISER_ROLES:
            schools.add(m.school_id)
        elif m.role == Role.TEACHER:
            groups.update(g.pk for g in m.groups.all())
    return schools, groups


def may_organise(user, group) -> bool:
    schools, groups = _scopes(user)
    return group.school_id in schools or group.pk in groups


def organisable_groups(user):
    from apps.organisations.models import Group

    schools, groups = _scopes(user)
    return Group.objects.filter(Q(school_id__in=schools) | Q(pk__in=groups)).order_by("year_level", "name")
