"""Who may do what with the partnership monitor (listed in `apps.access.policy`'s docstring; docs/learning.md).

The monitor holds no child data: answers are anonymous and results are aggregates. So its rules are about the
school, built on the policy's own reading of memberships (`memberships_of`): the school's director and IB'er
run waves and read, export and act on the results; an invited person answers their own questionnaire.
Every refusal is logged (`monitor_refused`) and raised as `PermissionDenied` (403)."""

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of
from apps.accounts.security_events import log_event
from apps.organisations.models import Role

RUNNER_ROLES = (Role.DIRECTOR, Role.IB)


class MonitorAction(Enum):
    RUN_WAVE = "run_wave"  # start a wave, send reminders, print children's codes
    READ_RESULTS = "read_results"  # results, the CSV export, the API
    ACT_ON_RESULT = "act_on_result"  # turn a result into an action on the school's board


def running_school_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.school_id for m in memberships_of(user) if m.role in RUNNER_ROLES and m.school.active}


def may(user, action: MonitorAction, school) -> bool:
    """One rule for all three actions: the director or the IB'er of this school."""
    return school is not None and school.pk in running_school_ids(user)


def require(request, action: MonitorAction, school) -> None:
    if not may(request.user, action, school):
        log_event(
            "monitor_refused",
            "partnership monitor refused",
            request=request,
            user_id=getattr(request.user, "pk", None),
            action=action.value,
            school_id=getattr(school, "pk", None),
        )
        raise PermissionDenied(_("Dit kan alleen de directeur of de IB'er van deze school."))


def running_schools(user):
    from apps.organisations.models import School

    return School.objects.filter(pk__in=running_school_ids(user))


def may_link_finding(user, finding) -> bool:
    return may(user, MonitorAction.ACT_ON_RESULT, finding.wave.school)
