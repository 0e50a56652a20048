"""Who may do what with absence (listed in the docstring of apps/access/policy.py).

Every function here asks the one policy first (`decide` with category HEALTH, "gezondheid en
verzuim") and only narrows it down:

- a sick report: anyone the policy lets add health data (a guardian with gezag, the school), but not
  the pupil for themselves: parents report sick;
- the register, the "zorgelijk" flag and a signal's next step: school staff (teacher of the class,
  IB'er, director) whom the policy lets add health data; the school's administration may not;
- a leave request: a guardian with gezag asks; the school's director decides up to 10 school days a
  school year, the leerplichtambtenaar the rest (`may_decide_leave`);
- the school's test days (toetsdagen): the school's IB'er and director (`may_manage_test_days`);
- a report to DUO (`may_set_duo_status`): the school sets "geregistreerd" and "ingetrokken"; the
  municipality's statuses are set by the involved leerplichtambtenaar, or copied from DUO by the school;
- the leerplichtambtenaar sees a pupil only through a signal or leave request they were involved in;
  the jeugdarts sees absence only with the family's consent, as the policy decides for every outside role.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from apps.access import policy
from apps.access.policy import Action, decide, memberships_of
from apps.consent.models import Category
from apps.organisations.models import Group, Role

from .models import SCHOOL_DUO_STATUSES, LeaveRequest, Signal

REGISTER_ROLES = (Role.TEACHER, Role.IB, Role.DIRECTOR)
HEALTH = Category.HEALTH


def _usable(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _school_role(user, school_id) -> str | None:
    roles = [m.role for m in memberships_of(user) if m.school_id == school_id and m.role in REGISTER_ROLES]
    return roles[0] if roles else None


def may_report_sick(user, child) -> bool:
    if not _usable(user) or child.user_id == user.pk:
        return False
    return decide(user, Action.CREATE, child, HEALTH).allowed


def may_register(user, child) -> bool:
    if not _usable(user) or _school_role(user, child.school_id) is None:
        return False
    return decide(user, Action.CREATE, child, HEALTH).allowed


def may_act_on_signal(user, signal) -> bool:
    """The school's staff take the next step; the involved leerplichtambtenaar records their part."""
    if not _usable(user):
        return False
    if signal.officer_id == user.pk:
        return True
    return may_register(user, signal.child)


def registrable_groups(user):
    """Classes whose register this person keeps: a teacher's own classes, every class for IB'er and director."""
    if not _usable(user):
        return Group.objects.none()
    condition = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.TEACHER:
            condition |= Q(pk__in=[g.pk for g in m.groups.all()])
        elif m.role in (Role.IB, Role.DIRECTOR):
            condition |= Q(school_id=m.school_id)
    return Group.objects.filter(condition).order_by("year_level", "name")


def is_officer(user) -> bool:
    return _usable(user) and any(m.role == Role.ATTENDANCE_OFFICER for m in memberships_of(user))


def officer_signals(user):
    """The signals a leerplichtambtenaar was involved in: the only way they see these pupils here."""
    if not is_officer(user):
        return Signal.objects.none()
    return Signal.objects.filter(officer=user)


def officer_grant(user, child) -> str:
    """A purpose grant for the policy (`PURPOSE_GRANTS`): reading this pupil because a signal involves them."""
    if Signal.objects.filter(child=child, officer=user).exists():
        return _("betrokken bij een verzuimsignaal")
    if LeaveRequest.objects.filter(child=child, officer=user).exists():
        return _("beslist over een verlofaanvraag")
    return ""


def may_request_leave(user, child) -> bool:
    """Only a guardian with gezag asks for leave (the policy lets only them write as a parent)."""
    if not _usable(user) or not any(g.user_id == user.pk for g in child.guardianships.all()):
        return False
    return decide(user, Action.CREATE, child, HEALTH).allowed


def may_decide_leave(user, leave) -> bool:
    if not _usable(user):
        return False
    if leave.status == LeaveRequest.Status.FORWARDED:
        return leave.officer_id == user.pk
    if leave.status != LeaveRequest.Status.PENDING:
        return False
    directs = any(m.role == Role.DIRECTOR and m.school_id == leave.child.school_id for m in memberships_of(user))
    return directs and decide(user, Action.CHANGE, leave.child, HEALTH).allowed


def register_purpose_grants() -> None:
    entry = (Role.ATTENDANCE_OFFICER, frozenset({Category.BASIC, Category.HEALTH}), officer_grant)
    if entry not in policy.PURPOSE_GRANTS:
        policy.PURPOSE_GRANTS.append(entry)


OVERVIEW_ROLES = (Role.IB, Role.DIRECTOR)


def overview_groups(user, school):
    """The classes whose absence overview this person sees at `school`, or None when refused.

    The IB'er and the director see every class of their school, a teacher only their own classes; the
    policy must also let the role see health data (SCHOOL_RIGHTS). Everyone else is refused."""
    if not _usable(user):
        return None
    own = []
    for m in memberships_of(user):
        if m.school_id != school.pk or HEALTH not in policy.SCHOOL_RIGHTS.get(m.role, {}).get(Action.VIEW, ()):
            continue
        if m.role in OVERVIEW_ROLES:
            return Group.objects.filter(school=school).order_by("year_level", "name")
        if m.role == Role.TEACHER:
            own += [g.pk for g in m.groups.all()]
    if not own:
        return None
    return Group.objects.filter(school=school, pk__in=own).order_by("year_level", "name")


def overview_schools(user) -> list:
    """Schools where this person has an absence overview (for the menu and the index page)."""
    if not _usable(user):
        return []
    return list(
        {m.school_id: m.school for m in memberships_of(user) if m.role in (*OVERVIEW_ROLES, Role.TEACHER)}.values()
    )


def may_export_absence(user, school) -> bool:
    """The CSV export of a period: the school's IB'er and director, whom the policy lets export health data."""
    return _usable(user) and any(
        m.school_id == school.pk
        and m.role in OVERVIEW_ROLES
        and HEALTH in policy.SCHOOL_RIGHTS.get(m.role, {}).get(Action.EXPORT, ())
        for m in memberships_of(user)
    )


def may_manage_test_days(user, school) -> bool:
    """The school's calendar of test days: its IB'er and director (not child data, so no access log)."""
    return _usable(user) and any(m.school_id == school.pk and m.role in OVERVIEW_ROLES for m in memberships_of(user))


def may_set_duo_status(user, signal, status: str) -> bool:
    """DUO's statuses, by who sets them (docs/absence.md): the school files and withdraws; the municipality's
    statuses come from the involved leerplichtambtenaar, or the school copies them from the verzuimregister."""
    if not _usable(user):
        return False
    if status in SCHOOL_DUO_STATUSES:
        return may_register(user, signal.child)
    return may_act_on_signal(user, signal)
