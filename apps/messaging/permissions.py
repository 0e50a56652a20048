"""Who may post and read announcements and newsletter items (listed in `apps.access.policy`'s docstring).

An announcement is for a school or a class, not about one child, so it is decided from the memberships as
the policy reads them (`memberships_of`) and, for families, from the children the policy lets them see
(`visible_children`): a guardian's own children, and a pupil's own record from 12.
"""

from django.db.models import Q

from apps.access.policy import memberships_of, visible_children
from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation, Role


def announcement_scopes(user) -> dict:
    """Where this person may post announcements: {school_id: None (whole school) or set of group ids}.

    IB'er, director and school administration post for the whole school, a teacher for own classes.
    """
    scopes: dict = {}
    for m in memberships_of(user):
        if not m.is_school_role:
            continue
        if m.role in (Role.IB, Role.DIRECTOR, Role.SCHOOL_ADMIN):
            scopes[m.school_id] = None
        elif scopes.get(m.school_id, set()) is not None:
            scopes.setdefault(m.school_id, set()).update(g.pk for g in m.groups.all())
    return scopes


def newsletter_schools(user) -> set[int]:
    """Schools where this person may publish newsletter items: staff of the school with whole-school
    scope, and workers of a CJG that works with that school (someone of the CJG is in a pupil's circle)."""
    from apps.circles.models import CircleMember

    schools = {sid for sid, groups in announcement_scopes(user).items() if groups is None}
    cjg_ids = [
        m.organisation_id
        for m in memberships_of(user)
        if m.role in OUTSIDE_ROLES and m.organisation and m.organisation.kind == CareOrganisation.Kind.CJG
    ]
    if cjg_ids:
        schools |= set(
            CircleMember.objects.current()
            .filter(organisation_id__in=cjg_ids)
            .values_list("child__school_id", flat=True)
            .distinct()
        )
        from apps.referrals.models import Assignment  # the CJG's own assignment puts a worker in the circle

        schools |= set(
            Assignment.objects.active()
            .filter(organisation_id__in=cjg_ids)
            .values_list("child__school_id", flat=True)
            .distinct()
        )
    return schools


def may_post_announcement(user, school_id: int, group_id: int | None, newsletter: bool = False) -> bool:
    if newsletter:
        return school_id in newsletter_schools(user) and group_id is None
    scopes = announcement_scopes(user)
    if school_id not in scopes:
        return False
    groups = scopes[school_id]
    return groups is None or (group_id is not None and group_id in groups)


def visible_announcements_filter(user) -> Q:
    """Guardians: school-wide posts of their children's schools and posts for their children's classes.
    Staff: everything of their school. CJG workers: the newsletter of schools they work with."""
    kids = list(
        visible_children(user).filter(Q(guardianships__user=user) | Q(user=user)).values_list("school_id", "group_id")
    )
    condition = Q(pk__in=[])
    for school_id, group_id in kids:
        condition |= Q(school_id=school_id, group__isnull=True) | Q(school_id=school_id, group_id=group_id)
    staff_schools = [m.school_id for m in memberships_of(user) if m.is_school_role]
    if staff_schools:
        condition |= Q(school_id__in=staff_schools)
    newsletter = newsletter_schools(user)
    if newsletter:
        condition |= Q(school_id__in=newsletter, is_newsletter=True)
    return condition


def may_write_versions(user, announcement) -> bool:
    """Who may write an announcement in other languages: its author, and whoever may post it where it is."""
    return announcement.author_id == user.pk or may_post_announcement(
        user, announcement.school_id, announcement.group_id, announcement.is_newsletter
    )
