"""Who may administer organisations and staff: the only place these rules live.

`apps/access/policy.py` decides about child data and lists this module for everything around it
(docs/onboarding-organisations.md). In short:

- the platform administrator (`is_staff`, no role anywhere) sets up boards, schools and care
  organisations and invites their first administrator, and reads the whole admin log; they never see
  child content (the policy refuses them, and logs the refusal);
- a school administrator or director manages the staff of their own school and reads their school's
  part of the admin log; a board administrator reads the part of every school under the board;
- the administrator of a care organisation (ORG_ADMIN) manages the people of their own organisation and
  reads their organisation's part of the admin log;
- everyone else is refused. Only effective memberships count (an inactive school gives no rights).
"""

from django.db.models import Q, QuerySet

from apps.access.policy import memberships_of

from .models import AdminLogEntry, Board, CareOrganisation, Role, School

STAFF_MANAGER_ROLES = (Role.SCHOOL_ADMIN, Role.DIRECTOR)


def may_administer_platform(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def staff_schools(user) -> list[School]:
    """The schools whose staff this user manages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [m.school for m in memberships_of(user) if m.role in STAFF_MANAGER_ROLES and m.school_id]


def may_manage_staff(user, school: School) -> bool:
    return any(s.pk == school.pk for s in staff_schools(user))


def administered_boards(user) -> list[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [m.board_id for m in memberships_of(user) if m.role == Role.BOARD_ADMIN and m.board_id]


def staff_organisations(user) -> list[CareOrganisation]:
    """The care organisations whose people this user manages (their ORG_ADMIN role)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [m.organisation for m in memberships_of(user) if m.role == Role.ORG_ADMIN and m.organisation_id]


def may_manage_organisation_staff(user, organisation: CareOrganisation) -> bool:
    return any(o.pk == organisation.pk for o in staff_organisations(user))


def may_read_admin_log(user) -> bool:
    return may_administer_platform(user) or bool(
        staff_schools(user) or administered_boards(user) or staff_organisations(user)
    )


def admin_log_for(user) -> QuerySet[AdminLogEntry]:
    """The part of the admin log this user reads, as one queryset (empty when they read none)."""
    if may_administer_platform(user):
        return AdminLogEntry.objects.all()
    condition = Q(pk__in=[])
    boards = administered_boards(user)
    if boards:
        condition |= Q(board_id__in=boards) | Q(school__board_id__in=boards)
    schools = [s.pk for s in staff_schools(user)]
    if schools:
        condition |= Q(school_id__in=schools)
    organisations = [o.pk for o in staff_organisations(user)]
    if organisations:
        condition |= Q(organisation_id__in=organisations)
    return AdminLogEntry.objects.filter(condition)


def boards_for(user) -> QuerySet[Board]:
    return Board.objects.filter(pk__in=administered_boards(user))
