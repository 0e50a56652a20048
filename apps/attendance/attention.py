"""What waits for this person in absence: signals with a next step, DUO reports past their deadline,
pupils reported sick today (for the teacher's morning)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from apps.access.policy import memberships_of
from apps.core.extensions import AttentionItem

from . import permissions, selectors


def items(user) -> list[AttentionItem]:
    roles = {m.role for m in memberships_of(user)}
    if not roles & {*permissions.REGISTER_ROLES, permissions.Role.ATTENDANCE_OFFICER}:
        return []
    today = timezone.localdate()
    counts = selectors.visible_signals(user).aggregate(
        waiting=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today, duo_status="ready"))
    )
    late, waiting = counts["late"], counts["waiting"]
    result = [
        AttentionItem(
            ngettext(
                "%(n)d melding bij DUO is over de termijn van 5 werkdagen",
                "%(n)d meldingen bij DUO zijn over de termijn van 5 werkdagen",
                late,
            )
            % {"n": late},
            late,
            reverse("attendance:signals"),
            "late",
        ),
        AttentionItem(
            ngettext(
                "%(n)d signaal over verzuim wacht op een volgende stap",
                "%(n)d signalen over verzuim wachten op een volgende stap",
                waiting,
            )
            % {"n": waiting},
            waiting,
            reverse("attendance:signals"),
            "todo",
        ),
    ]
    deciders = {permissions.Role.DIRECTOR, permissions.Role.ATTENDANCE_OFFICER}
    leave = selectors.leave_to_decide(user).count() if roles & deciders else 0
    result.append(
        AttentionItem(
            ngettext("%(n)d verlofaanvraag wacht op uw besluit", "%(n)d verlofaanvragen wachten op uw besluit", leave)
            % {"n": leave},
            leave,
            reverse("attendance:signals"),
            "todo",
        )
    )
    if permissions.Role.TEACHER in roles:
        sick = selectors.reported_sick_today(user, today)
        result.append(
            AttentionItem(
                ngettext("%(n)d leerling is vandaag ziek gemeld", "%(n)d leerlingen zijn vandaag ziek gemeld", sick)
                % {"n": sick},
                sick,
                reverse("attendance:register_index"),
                "todo",
            )
        )
    return result
