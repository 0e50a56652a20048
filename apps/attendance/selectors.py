"""Reads of absence data: lists by the policy's `visible_children`, in a fixed number of queries."""

from datetime import date

from django.db.models import Q

from apps.access.policy import memberships_of
from apps.circles.models import Child
from apps.consent.models import Category
from apps.core.extensions import visible_child_ids
from apps.organisations.models import Role

from . import permissions
from .models import Absence, LeaveRequest, SickReport, Signal


def visible_signals(user, *, open_only: bool = True):
    """Signals of pupils whose absence data this person may see, and those a leerplichtambtenaar was involved in."""
    condition = Q(child__in=visible_child_ids(user, Category.HEALTH)) | Q(pk__in=permissions.officer_signals(user))
    qs = Signal.objects.filter(condition).select_related("child__group", "school", "officer", "referral__organisation")
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return qs.order_by("-day", "-pk")


def class_pupils(user, group) -> list[Child]:
    """The class's pupils whose absence this person may register (the policy decides, one query)."""
    return list(
        Child.objects.filter(pk__in=visible_child_ids(user, Category.HEALTH), group=group, left_on__isnull=True)
        .select_related("school", "group", "user")
        .prefetch_related("guardianships")
        .order_by("last_name", "first_name")
    )


def child_overview(child, *, since: date):
    return {
        "sick_reports": list(
            SickReport.objects.filter(child=child, first_day__gte=since).select_related("reported_by")
        ),
        "absences": list(Absence.objects.filter(child=child, day__gte=since).exclude(reason="present")),
        "signals": list(Signal.objects.filter(child=child).select_related("school", "child")),
        "leave_requests": list(LeaveRequest.objects.filter(child=child).select_related("decided_by")),
    }


def reported_sick_today(user, day: date) -> int:
    """Pupils in this teacher's view reported sick for `day` (for the attention panel)."""
    return (
        SickReport.objects.filter(child__in=visible_child_ids(user, Category.HEALTH), first_day__lte=day)
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=day))
        .filter(Q(healthy_on__isnull=True) | Q(healthy_on__gt=day))
        .values("child")
        .distinct()
        .count()
    )


def leave_to_decide(user):
    """Leave requests waiting for this person: the director's school's pending ones, the officer's forwarded ones."""
    schools = [m.school_id for m in memberships_of(user) if m.role == Role.DIRECTOR]
    condition = Q(status=LeaveRequest.Status.PENDING, child__school_id__in=schools)
    condition |= Q(status=LeaveRequest.Status.FORWARDED, officer=user)
    return LeaveRequest.objects.filter(condition).select_related("child__group").order_by("first_day")
