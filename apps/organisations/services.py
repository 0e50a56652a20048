"""Setting up boards, schools and care organisations, and the people who work there.

Every function here writes one entry in the admin log (`adminlog.record`) in the same transaction as
its change. Nothing is ever deleted: organisations are deactivated, memberships ended. Access checks
(who may call these) are the caller's, through `permissions.py`; these functions validate the input
and raise `ValidationError` with a Dutch message. The pupil-administration import creates and ends
teachers through `add_staff`, `change_staff` and `remove_staff` as well.
"""

import re
from dataclasses import dataclass

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Invite, User
from apps.accounts.services import invite_staff
from apps.circles.models import Child, CircleMember
from apps.circles.services import add_member, change_coordinator
from apps.notifications.services import queue_mail

from . import adminlog
from .models import SCHOOL_ROLES, AdminLogEntry, Board, CareOrganisation, Group, Membership, Role, School

Action = AdminLogEntry.Action
BRIN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}$")
VESTIGING_PATTERN = re.compile(r"^[0-9]{2}$")
STAFF_MANAGER_ROLES = (Role.SCHOOL_ADMIN, Role.DIRECTOR)
# The first administrator an organisation gets, by the kind of organisation.
FIRST_ADMIN_ROLES = {
    "school": (Role.SCHOOL_ADMIN, Role.DIRECTOR),
    "organisation": (Role.ORG_ADMIN,),
    "board": (Role.BOARD_ADMIN,),
}


# --- boards, schools, organisations --------------------------------------------------------------------------


def clean_school_identity(brin: str, vestiging: str, *, exclude: School | None = None) -> tuple[str, str]:
    """BRIN: two digits and two letters (e.g. 12AB); vestiging: two digits (00 = the main building).
    The pair is unique: two schools with the same BRIN and vestiging would mix up imports."""
    brin = (brin or "").strip().upper()
    vestiging = (vestiging or "00").strip() or "00"
    errors = {}
    if not BRIN_PATTERN.match(brin):
        errors["brin"] = _("Een BRIN-nummer bestaat uit twee cijfers en twee letters, bijvoorbeeld 12AB.")
    if not VESTIGING_PATTERN.match(vestiging):
        errors["vestiging"] = _("Het vestigingsnummer bestaat uit twee cijfers, bijvoorbeeld 00 of 01.")
    if errors:
        raise ValidationError(errors)
    same = School.objects.filter(brin=brin, vestiging=vestiging)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    other = same.first()
    if other is not None:
        raise ValidationError(
            {
                "brin": _("Er is al een school met BRIN %(brin)s en vestiging %(vestiging)s: %(name)s.")
                % {"brin": brin, "vestiging": vestiging, "name": other.name}
            }
        )
    return brin, vestiging


def _required_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Vul een naam in.")})
    return name


@transaction.atomic
def create_board(*, by, name: str) -> Board:
    board = Board.objects.create(name=_required_name(name))
    adminlog.record(
        by=by,
        action=Action.CREATE,
        description=gettext_lazy("Bestuur %(name)s aangemaakt."),
        params={"name": board.name},
        obj=board,
        board=board,
    )
    return board


@transaction.atomic
def change_board(*, by, board: Board, name: str) -> Board:
    old = board.name
    board.name = _required_name(name)
    board.save(update_fields=["name"])
    adminlog.record(
        by=by,
        action=Action.CHANGE,
        description=gettext_lazy("Bestuur %(old)s gewijzigd: naam is nu %(name)s."),
        params={"old": old, "name": board.name},
        obj=board,
        board=board,
    )
    return board


@transaction.atomic
def create_school(*, by, board: Board | None, name: str, brin: str, vestiging: str = "00", city: str = "") -> School:
    name = _required_name(name)
    brin, vestiging = clean_school_identity(brin, vestiging)
    school = School.objects.create(board=board, name=name, brin=brin, vestiging=vestiging, city=(city or "").strip())
    adminlog.record(
        by=by,
        action=Action.CREATE,
        description=gettext_lazy("School %(name)s (BRIN %(brin)s-%(vestiging)s) aangemaakt."),
        params={"name": school.name, "brin": brin, "vestiging": vestiging},
        obj=school,
        school=school,
    )
    return school


@transaction.atomic
def change_school(
    *, by, school: School, board: Board | None, name: str, brin: str, vestiging: str, city: str
) -> School:
    school.name = _required_name(name)
    school.brin, school.vestiging = clean_school_identity(brin, vestiging, exclude=school)
    school.city = (city or "").strip()
    school.board = board
    school.save(update_fields=["name", "brin", "vestiging", "city", "board"])
    adminlog.record(
        by=by,
        action=Action.CHANGE,
        description=gettext_lazy("School %(name)s gewijzigd (BRIN %(brin)s-%(vestiging)s, %(city)s)."),
        params={"name": school.name, "brin": school.brin, "vestiging": school.vestiging, "city": school.city or "-"},
        obj=school,
        school=school,
    )
    return school


@transaction.atomic
def create_organisation(*, by, name: str, kind: str, city: str = "") -> CareOrganisation:
    if kind not in CareOrganisation.Kind.values:
        raise ValidationError({"kind": _("Kies het soort organisatie.")})
    organisation = CareOrganisation.objects.create(name=_required_name(name), kind=kind, city=(city or "").strip())
    adminlog.record(
        by=by,
        action=Action.CREATE,
        description=gettext_lazy("Organisatie %(name)s (%(kind)s) aangemaakt."),
        params={"name": organisation.name, "kind": organisation.get_kind_display()},
        obj=organisation,
        organisation=organisation,
    )
    return organisation


@transaction.atomic
def change_organisation(*, by, organisation: CareOrganisation, name: str, kind: str, city: str) -> CareOrganisation:
    if kind not in CareOrganisation.Kind.values:
        raise ValidationError({"kind": _("Kies het soort organisatie.")})
    organisation.name = _required_name(name)
    organisation.kind = kind
    organisation.city = (city or "").strip()
    organisation.save(update_fields=["name", "kind", "city"])
    adminlog.record(
        by=by,
        action=Action.CHANGE,
        description=gettext_lazy("Organisatie %(name)s gewijzigd (%(kind)s, %(city)s)."),
        params={"name": organisation.name, "kind": organisation.get_kind_display(), "city": organisation.city or "-"},
        obj=organisation,
        organisation=organisation,
    )
    return organisation


DEACTIVATED = {
    Board: gettext_lazy("Bestuur %(name)s gedeactiveerd: de mensen van de scholen eronder hebben geen toegang meer."),
    School: gettext_lazy("School %(name)s gedeactiveerd: de medewerkers hebben geen toegang meer."),
    CareOrganisation: gettext_lazy("Organisatie %(name)s gedeactiveerd: de medewerkers hebben geen toegang meer."),
}
REACTIVATED = {
    Board: gettext_lazy("Bestuur %(name)s weer actief."),
    School: gettext_lazy("School %(name)s weer actief."),
    CareOrganisation: gettext_lazy("Organisatie %(name)s weer actief."),
}


@transaction.atomic
def set_active(*, by, obj: Board | School | CareOrganisation, active: bool):
    """Deactivate or reactivate. Access follows at once: `Membership.objects.effective()` leaves out the
    memberships of an inactive organisation (and of schools under an inactive board)."""
    if obj.active == active:
        return obj
    type(obj).objects.filter(pk=obj.pk).update(active=active)
    obj.active = active
    texts = REACTIVATED if active else DEACTIVATED
    where = {"board": obj} if isinstance(obj, Board) else {}
    where = {"school": obj} if isinstance(obj, School) else where
    where = {"organisation": obj} if isinstance(obj, CareOrganisation) else where
    adminlog.record(
        by=by,
        action=Action.REACTIVATE if active else Action.DEACTIVATE,
        description=texts[type(obj)],
        params={"name": obj.name},
        obj=obj,
        **where,
    )
    return obj


# --- people ---------------------------------------------------------------------------------------------------


@dataclass
class StaffAddition:
    """What adding a person did: an existing account got the role at once, or a new person got an invite."""

    membership: Membership | None = None
    invite: Invite | None = None


def _place(school=None, organisation=None, board=None) -> dict:
    return {"school": school, "organisation": organisation, "board": board}


@transaction.atomic
def invite_administrator(
    *, by, email: str, role: str, school: School | None = None, organisation=None, board=None
) -> StaffAddition:
    """The first administrator of a school (school administration or director), a care organisation or a board."""
    kind = "school" if school else "organisation" if organisation else "board" if board else ""
    if not kind:
        raise ValidationError(_("Kies de school, organisatie of het bestuur."))
    if role not in FIRST_ADMIN_ROLES[kind]:
        raise ValidationError({"role": _("Deze rol past niet bij dit soort organisatie.")})
    return _add_person(by=by, email=email, role=role, groups=(), **_place(school, organisation, board))


@transaction.atomic
def add_staff(*, by, school: School, email: str, role: str, groups=(), source_key: str = "") -> StaffAddition:
    """Add a member of staff to a school. A person with an account gets the role at once (and an e-mail);
    a new person gets a single-use invite by e-mail, and the role once they accept it."""
    if role not in SCHOOL_ROLES:
        raise ValidationError({"role": _("Kies een rol binnen de school.")})
    groups = list(groups)
    _check_groups(school, groups)
    return _add_person(by=by, email=email, role=role, groups=groups, source_key=source_key, school=school)


def _add_person(*, by, email, role, groups, school=None, organisation=None, board=None, source_key="") -> StaffAddition:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Vul een e-mailadres in.")})
    where = school or organisation or board
    role_label = Membership(role=role).get_role_display()
    user = User.objects.filter(email__iexact=email).first()
    params = {"email": email, "role": role_label, "where": where.name}
    if user is None:
        inv, _link = invite_staff(
            by=by, email=email, role=role, school=school, organisation=organisation, board=board, groups=groups
        )
        adminlog.record(
            by=by,
            action=Action.INVITE,
            description=gettext_lazy("%(email)s uitgenodigd als %(role)s bij %(where)s."),
            params=params,
            obj=inv,
            **_place(school, organisation, board),
        )
        return StaffAddition(invite=inv)
    existing = Membership.objects.filter(user=user, role=role, active=True, **_place(school, organisation, board))
    if existing.exists():
        raise ValidationError({"email": _("Deze persoon heeft deze rol hier al.")})
    membership = Membership.objects.create(
        user=user, role=role, source_key=source_key, **_place(school, organisation, board)
    )
    membership.groups.set(groups)
    queue_mail(
        str(_("U bent toegevoegd in Driehoek")),
        _("Hallo,\n\nU bent in Driehoek toegevoegd als %(role)s bij %(where)s. Log in via %(site)s.\n")
        % {"role": role_label, "where": where.name, "site": settings.SITE_URL},
        [user.email],
    )
    adminlog.record(
        by=by,
        action=Action.ADD_STAFF,
        description=gettext_lazy("%(email)s toegevoegd als %(role)s bij %(where)s."),
        params=params,
        obj=membership,
        **_place(school, organisation, board),
    )
    return StaffAddition(membership=membership)


def _check_groups(school: School, groups) -> None:
    if any(g.school_id != school.pk for g in groups):
        raise ValidationError({"groups": _("Een van de groepen hoort bij een andere school.")})


def current_groups(school: School):
    """The groups of the school's current (newest) school year."""
    newest = Group.objects.filter(school=school).order_by("-school_year").values_list("school_year", flat=True)
    return Group.objects.filter(school=school, school_year__in=newest[:1]).order_by("year_level", "name")


# --- people of a care organisation (its administrator manages them) -------------------------------------------

# The roles an organisation's administrator gives; a leerplicht organisation has attendance officers.
ORGANISATION_ROLES = (Role.YOUTH_WORKER, Role.DOCTOR, Role.ATTENDANCE_OFFICER, Role.ORG_ADMIN)
LAST_ORG_ADMIN = gettext_lazy("Er moet iemand overblijven die de medewerkers van de organisatie beheert.")


def organisation_roles(organisation: CareOrganisation) -> list:
    if organisation.kind == CareOrganisation.Kind.LEERPLICHT:
        return [Role.ATTENDANCE_OFFICER, Role.ORG_ADMIN]
    return [Role.YOUTH_WORKER, Role.DOCTOR, Role.ORG_ADMIN]


@transaction.atomic
def add_organisation_staff(*, by, organisation: CareOrganisation, email: str, role: str) -> StaffAddition:
    """Add a colleague to a care organisation: an account gets the role at once, a new person an invite."""
    if role not in organisation_roles(organisation):
        raise ValidationError({"role": _("Kies een rol binnen deze organisatie.")})
    if not organisation.active:
        raise ValidationError(_("Deze organisatie is niet actief."))
    return _add_person(by=by, email=email, role=role, groups=(), organisation=organisation)


@transaction.atomic
def deactivate_organisation_staff(*, by, membership: Membership) -> Membership:
    """End a colleague's membership: from now on no consent to the organisation covers them (they leave every
    circle at once, docs/youth-care.md); their sessions end when no other role remains."""
    if not membership.active or not membership.organisation_id:
        raise ValidationError(_("Deze medewerker werkt hier al niet meer."))
    if membership.role == Role.ORG_ADMIN:
        others = Membership.objects.effective().filter(organisation_id=membership.organisation_id, role=Role.ORG_ADMIN)
        if not others.exclude(pk=membership.pk).exists():
            raise ValidationError(LAST_ORG_ADMIN)
    Membership.objects.filter(pk=membership.pk).update(active=False, ended_at=timezone.now())
    membership.active = False
    if not Membership.objects.effective().filter(user_id=membership.user_id).exists():
        end_sessions_of(membership.user)
    adminlog.record(
        by=by,
        action=Action.REMOVE_STAFF,
        description=gettext_lazy("%(email)s (%(role)s) bij %(where)s gedeactiveerd; toegang en sessies beëindigd."),
        params={
            "email": membership.user.email,
            "role": membership.get_role_display(),
            "where": membership.organisation.name,
        },
        obj=membership,
        organisation=membership.organisation,
    )
    return membership


LAST_MANAGER = gettext_lazy("Er moet iemand overblijven die de medewerkers beheert (schooladministratie of directeur).")


def _is_last_manager(membership: Membership) -> bool:
    if membership.role not in STAFF_MANAGER_ROLES or not membership.school_id:
        return False
    others = Membership.objects.effective().filter(school_id=membership.school_id, role__in=STAFF_MANAGER_ROLES)
    return not others.exclude(pk=membership.pk).exists()


@transaction.atomic
def change_staff(*, by, membership: Membership, role: str, groups=()) -> Membership:
    """Change a school member's role and groups."""
    if role not in SCHOOL_ROLES or not membership.school_id:
        raise ValidationError({"role": _("Kies een rol binnen de school.")})
    if not membership.active:
        raise ValidationError(_("Deze medewerker werkt hier niet meer."))
    groups = list(groups)
    _check_groups(membership.school, groups)
    if role != membership.role and role not in STAFF_MANAGER_ROLES and _is_last_manager(membership):
        raise ValidationError({"role": LAST_MANAGER})
    membership.role = role
    membership.save(update_fields=["role"])
    membership.groups.set(groups)
    adminlog.record(
        by=by,
        action=Action.CHANGE_STAFF,
        description=gettext_lazy("%(email)s bij %(where)s gewijzigd: %(role)s, groepen: %(groups)s."),
        params={
            "email": membership.user.email,
            "where": membership.school.name,
            "role": membership.get_role_display(),
            "groups": ", ".join(g.name for g in groups) or "-",
        },
        obj=membership,
        school=membership.school,
    )
    return membership


def coordinated_children(membership: Membership) -> list[Child]:
    """The children of the membership's school whose circle this person now coordinates."""
    today = timezone.localdate()
    ids = (
        CircleMember.objects.current(today)
        .filter(user_id=membership.user_id, is_coordinator=True, child__school_id=membership.school_id)
        .values("child_id")
    )
    return list(Child.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


def coordinator_candidates(membership: Membership):
    """Who can take over as coordinator: the other effective staff of the same school."""
    ids = Membership.objects.effective().filter(school_id=membership.school_id).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).exclude(pk=membership.user_id).order_by("full_name")


@dataclass
class Handover:
    """Who takes over a child's circle from the person who leaves, with the note the family reads."""

    new_coordinator: User
    note: str


@transaction.atomic
def remove_staff(*, by, membership: Membership, handovers: dict[int, Handover] | None = None) -> Membership:
    """End a membership: access ends at once, the person leaves the circles of this school's children (with a
    warm handover where they were the coordinator), and their sessions end when no other role remains."""
    if not membership.active:
        raise ValidationError(_("Deze medewerker werkt hier al niet meer."))
    if _is_last_manager(membership):
        raise ValidationError(LAST_MANAGER)
    handovers = handovers or {}
    for child in coordinated_children(membership):
        handover = handovers.get(child.pk)
        if handover is None:
            raise ValidationError(_("Kies een nieuw aanspreekpunt voor %(child)s.") % {"child": child.full_name})
        _hand_over(child=child, membership=membership, handover=handover, by=by)
    Membership.objects.filter(pk=membership.pk).update(active=False, ended_at=timezone.now())
    membership.active = False
    today = timezone.localdate()
    circles = CircleMember.objects.current(today).filter(user_id=membership.user_id)
    circles.filter(child__school_id=membership.school_id).update(until=today)
    if not Membership.objects.effective().filter(user_id=membership.user_id).exists():
        end_sessions_of(membership.user)
    adminlog.record(
        by=by,
        action=Action.REMOVE_STAFF,
        description=gettext_lazy("%(email)s (%(role)s) bij %(where)s verwijderd; toegang en sessies beëindigd."),
        params={"email": membership.user.email, "role": membership.get_role_display(), "where": membership.school.name},
        obj=membership,
        school=membership.school,
    )
    return membership


def _hand_over(*, child: Child, membership: Membership, handover: Handover, by) -> None:
    if not coordinator_candidates(membership).filter(pk=handover.new_coordinator.pk).exists():
        raise ValidationError(_("Het nieuwe aanspreekpunt moet op deze school werken."))
    member = child.circle.current().filter(user=handover.new_coordinator).first()
    if member is None:
        new_role = Membership.objects.effective().filter(user=handover.new_coordinator, school_id=child.school_id)
        label = new_role.first().get_role_display()
        member = add_member(child=child, user=handover.new_coordinator, role=label, school=child.school)
    change_coordinator(child=child, new_member=member, note=handover.note, by=by)


def end_sessions_of(user: User) -> int:
    """End every session of this person at once (allauth tracks each log-in as a UserSession)."""
    sessions = list(UserSession.objects.filter(user=user))
    get_usersessions_adapter().end_sessions(sessions)
    return len(sessions)
