"""Plain rules of the help guide: school days, routing and the response-time report. Who may edit the guide
and who may read or handle a question is in `permissions.py`."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.core import schooldays
from apps.organisations.models import Membership, Role


def add_school_days(start: datetime, days: int, holidays=()) -> datetime:
    """`days` school days after `start`, same time of day, in Amsterdam time. Weekends and the school's
    holidays do not count, so a question asked just before a holiday is not overdue during it."""
    moment = timezone.localtime(start)
    due = schooldays.add_school_days(moment.date(), days, holidays)
    return moment + timedelta(days=(due - moment.date()).days)


def school_holidays(school_id: int, after: date | None = None) -> list[tuple[date, date]]:
    """The school's holidays as `(first, last)` date pairs (those not already over), in one query."""
    from .models import SchoolHoliday

    after = after or timezone.localdate()
    return list(
        SchoolHoliday.objects.filter(school_id=school_id, end__gte=after).order_by("start").values_list("start", "end")
    )


def school_contact(school_id: int, roles=(Role.IB, Role.DIRECTOR)):
    """The first IB'er (else director) of the school: where unrouted and escalated questions go."""
    for role in roles:
        m = Membership.objects.effective().filter(school_id=school_id, role=role).select_related("user").first()
        if m:
            return m.user
    return None


def route(topic, child=None) -> object | None:
    """Who a question on this topic goes to: the topic's person, else the IB'er of the school. A question
    about a child never goes to someone the policy does not let open it (e.g. the school administration)."""
    from .permissions import may_receive

    if topic.handler_id and topic.handler.is_active and may_receive(topic.handler, child):
        return topic.handler
    return school_contact(topic.guide.school_id)


def escalation_target(question):
    """The child's coordinator when there is one (and it is someone else), else the IB'er or director."""
    if question.child_id:
        from apps.circles.services import coordinator_of

        coordinator = coordinator_of(question.child)
        if coordinator and coordinator.user_id != question.assigned_to_id:
            return coordinator.user
    for role in (Role.IB, Role.DIRECTOR):
        user = school_contact(question.school_id, roles=(role,))
        if user and user.pk != question.assigned_to_id:
            return user
    return None


def is_overdue(question, now=None) -> bool:
    return question.acknowledged_at is None and (now or timezone.now()) > question.due_at


@dataclass
class ResponseReport:
    total: int
    acknowledged: int
    open_overdue: int
    median_hours: float | None
    within_target_share: int | None


def response_report(questions, now=None) -> ResponseReport:
    """Median time to acknowledge, and the share picked up within the target (overdue open ones count
    as missed; open ones still within time are not counted yet)."""
    now = now or timezone.now()
    hours, within, counted, acknowledged, overdue = [], 0, 0, 0, 0
    for q in questions:
        if q.acknowledged_at:
            acknowledged += 1
            counted += 1
            hours.append((q.acknowledged_at - q.created_at).total_seconds() / 3600)
            within += q.acknowledged_at <= q.due_at
        elif now > q.due_at:
            overdue += 1
            counted += 1
    return ResponseReport(
        total=len(questions),
        acknowledged=acknowledged,
        open_overdue=overdue,
        median_hours=round(statistics.median(hours), 1) if hours else None,
        within_target_share=round(100 * within / counted) if counted else None,
    )


def question_rate_limit() -> tuple[int, int]:
    """(questions, seconds): at most this many help questions per person in this window (anti-flood)."""
    from django.conf import settings

    return getattr(settings, "HELPGUIDE_RATE_LIMIT", (5, 3600))


def over_question_limit(user, now=None) -> bool:
    from .models import HelpQuestion

    count, seconds = question_rate_limit()
    since = (now or timezone.now()) - timedelta(seconds=seconds)
    return HelpQuestion.objects.filter(asker=user, created_at__gte=since).count() >= count
