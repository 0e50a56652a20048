"""The school office's lists, as querysets for the pages and the API alike. Pupils come only through the
access policy (`visible_children`); the caller logs the names it shows (`log_list`)."""

from django.db.models import Count, Q, Value
from django.db.models.functions import Concat

from apps.access.policy import confirmable_guardianships, visible_children
from apps.accounts.models import Invite
from apps.circles.models import Guardianship
from apps.organisations.models import Group


def school_pupils(user, school, *, query: str = "", group_id: int | None = None):
    """Pupils of the school this user may see (including who left, newest last), searched by first, last or
    full name, filtered by group (the stamgroep or a composite group)."""
    # The guardianships are what the policy reads when `log_list` decides each row: prefetched, one query.
    pupils = visible_children(user).filter(school=school).select_related("group").prefetch_related("guardianships")
    query = " ".join(query.split())[:100]
    if query:
        pupils = pupils.annotate(full=Concat("first_name", Value(" "), "last_name")).filter(
            Q(full__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    if group_id is not None:
        pupils = pupils.filter(Q(group_id=group_id) | Q(extra_groups__id=group_id)).distinct()
    return pupils.order_by("left_on", "last_name", "first_name", "pk")


def school_years(school) -> list[str]:
    return list(
        Group.objects.filter(school=school).order_by("-school_year").values_list("school_year", flat=True).distinct()
    )


def school_groups(school, school_year: str | None = None):
    """Groups with the number of current pupils (stamgroep) and of pupils in a composite group. Counts only."""
    groups = Group.objects.filter(school=school)
    if school_year:
        groups = groups.filter(school_year=school_year)
    return groups.annotate(
        base_count=Count("pupils", filter=Q(pupils__left_on__isnull=True), distinct=True),
        composite_count=Count("composite_pupils", filter=Q(composite_pupils__left_on__isnull=True), distinct=True),
    ).order_by("-school_year", "year_level", "name")


def school_guardians(user, school):
    return (
        Guardianship.objects.filter(child__in=visible_children(user).filter(school=school))
        .select_related("user", "child", "child__group")
        .prefetch_related("child__guardianships")
        .order_by("child__last_name", "child__first_name", "child_id", "pk")
    )


def school_invites(school):
    return (
        Invite.objects.filter(children__school=school, kind=Invite.Kind.GUARDIAN)
        .distinct()
        .select_related("mail", "user")
        .prefetch_related("children__guardianships")
        .order_by("-created_at", "-pk")
    )


def gezag_to_confirm(user, school):
    return (
        confirmable_guardianships(user)
        .filter(child__school=school)
        .select_related("user", "child", "child__group")
        .prefetch_related("child__guardianships")
        .order_by("authority_declared_at", "pk")
    )
