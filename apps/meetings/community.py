"""The learning community (seed 000, docs/learning-community.md): named members with a role in the community,
a series of sessions, and invitations to named people as well as to whole groups."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.circles.models import Guardianship

from . import services
from .models import CommunityMember, Invitation, LearningCommunity, Meeting

Role = CommunityMember.Role

# The community role -> the role at a theme table (a key of grouping.ROLE_CATEGORY).
TABLE_ROLE = {
    Role.PARENT: "parent",
    Role.TEACHER: "teacher",
    Role.MENTOR: "mentor",
    Role.IB: "ib",
    Role.DIRECTOR: "director",
    Role.CJG: "cjg",
    Role.PROCESS_FACILITATOR: "process_facilitator",
    Role.RESEARCHER: "researcher",
    Role.PUPIL: "pupil",
    Role.OTHER: "other",
}
# Roles someone from outside the school may have (the process facilitator and the researcher of seed 000).
OUTSIDE_ROLES = {Role.PROCESS_FACILITATOR, Role.RESEARCHER, Role.OTHER}
STAFF_ROLES = {Role.TEACHER, Role.MENTOR, Role.IB, Role.DIRECTOR}


def create_community(*, school, by, name: str, goal: str = "", planned_sessions: int = 8) -> LearningCommunity:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Geef de leergemeenschap een naam."))
    if not 1 <= int(planned_sessions or 0) <= 50:
        raise ValidationError(_("Kies een aantal bijeenkomsten van 1 tot 50."))
    return LearningCommunity.objects.create(
        school=school, name=name[:200], goal=goal or "", planned_sessions=planned_sessions, created_by=by
    )


def _school_guardians(school):
    return Guardianship.objects.filter(child__school=school)


def person_kind(school, user) -> str | None:
    """How this person is connected to the school: staff, a guardian of a pupil, a youth-care partner in a
    pupil's circle. None: not connected (only an outside role, such as a researcher, may then join)."""
    pseudo = Meeting(school=school)
    if services.school_staff(pseudo).filter(pk=user.pk).exists():
        return Invitation.Kind.STAFF
    if _school_guardians(school).filter(user=user).exists():
        return Invitation.Kind.GUARDIAN
    if services.school_partners(pseudo).filter(pk=user.pk).exists():
        return Invitation.Kind.PARTNER
    return None


def candidates(school):
    """The people of the school who may be named: staff, guardians of its pupils and partners, by name."""
    from django.db.models import Q

    from apps.accounts.models import User

    pseudo = Meeting(school=school)
    return User.objects.filter(
        Q(pk__in=services.school_staff(pseudo).values("pk"))
        | Q(pk__in=_school_guardians(school).values("user_id"))
        | Q(pk__in=services.school_partners(pseudo).order_by().values("pk")),
        is_active=True,
    ).order_by("full_name", "pk")


@transaction.atomic
def add_member(community: LearningCommunity, user, role: str) -> CommunityMember:
    """Name someone as a member with their role in the community. A parent must be a guardian of a pupil of
    the school and a staff role must work there; a process facilitator or researcher may come from outside."""
    if user is None or not user.is_active:
        raise ValidationError(_("Kies een persoon met een account."))
    if role not in Role.values:
        raise ValidationError(_("Kies een rol in de leergemeenschap."))
    kind = person_kind(community.school, user)
    if role == Role.PARENT and kind != Invitation.Kind.GUARDIAN:
        raise ValidationError(_("Als ouder kunt u alleen een ouder van een leerling van deze school kiezen."))
    if role in STAFF_ROLES and kind != Invitation.Kind.STAFF:
        raise ValidationError(_("Deze rol is voor iemand die bij de school werkt."))
    if role == Role.CJG and kind not in (Invitation.Kind.PARTNER, Invitation.Kind.STAFF):
        raise ValidationError(_("Kies een CJG-medewerker die met de school samenwerkt."))
    if kind is None and role not in OUTSIDE_ROLES:
        raise ValidationError(_("Deze persoon hoort niet bij de school. Kies een andere persoon of rol."))
    if community.members.filter(user=user).exists():
        raise ValidationError(
            _("%(name)s is al lid van deze leergemeenschap.") % {"name": user.full_name or user.email}
        )
    return CommunityMember.objects.create(community=community, user=user, role=role)


def next_session_number(community) -> int:
    return (community.sessions.order_by("-session_number").values_list("session_number", flat=True).first() or 0) + 1


@transaction.atomic
def add_session(community: LearningCommunity, *, by, title: str, starts_at, rsvp_deadline, location="") -> Meeting:
    """The next session of the series, numbered; refused once the planned number of sessions is reached."""
    community = LearningCommunity.objects.select_for_update().get(pk=community.pk)
    number = next_session_number(community)
    if number > community.planned_sessions:
        raise ValidationError(
            _("Deze leergemeenschap heeft %(n)d bijeenkomsten gepland; die zijn er al allemaal.")
            % {"n": community.planned_sessions}
        )
    meeting = services.create_meeting(
        school=community.school,
        by=by,
        title=(title or "").strip() or _("Bijeenkomst %(n)d") % {"n": number},
        kind=Meeting.Kind.LEARNING_COMMUNITY,
        starts_at=starts_at,
        rsvp_deadline=rsvp_deadline,
        location=location,
        use_template=False,
    )
    Meeting.objects.filter(pk=meeting.pk).update(community=community, session_number=number)
    meeting.community, meeting.session_number = community, number
    return meeting


def _invite_grouped(meeting, people: list[tuple[object, str, str]]) -> int:
    """people: (user, invitation kind, table role); one `services.invite` per (kind, role)."""
    groups: dict = {}
    for user, kind, role in people:
        groups.setdefault((kind, role), []).append(user)
    return sum(services.invite(meeting, users, kind=kind, role=role) for (kind, role), users in groups.items())


@transaction.atomic
def invite_members(meeting: Meeting) -> int:
    """Invite every member of the meeting's learning community, each once, with their role at the table."""
    if meeting.community_id is None:
        raise ValidationError(_("Deze bijeenkomst hoort niet bij een leergemeenschap."))
    members = meeting.community.members.select_related("user")
    people = [(m.user, Invitation.Kind.COMMUNITY, TABLE_ROLE[m.role]) for m in members]
    return _invite_grouped(meeting, people)


@transaction.atomic
def invite_named(meeting: Meeting, users) -> int:
    """Invite these named people (e.g. five parents and the CJG worker). Each must be connected to the school
    or be a member of the meeting's community; otherwise nothing is sent and the names are given."""
    users = list(users)
    if not users:
        raise ValidationError(_("Kies minstens één persoon."))
    member_roles = {}
    if meeting.community_id:
        member_roles = dict(meeting.community.members.values_list("user_id", "role"))
    people, refused = [], []
    for user in users:
        if user.pk in member_roles:
            people.append((user, Invitation.Kind.COMMUNITY, TABLE_ROLE[member_roles[user.pk]]))
            continue
        kind = person_kind(meeting.school, user)
        if kind is None:
            refused.append(user.full_name or user.email)
            continue
        role = {Invitation.Kind.GUARDIAN: "parent", Invitation.Kind.PARTNER: "cjg"}.get(kind)
        people.append((user, kind, role))
    if refused:
        raise ValidationError(
            _("Deze personen horen niet bij de school of de leergemeenschap: %(names)s.")
            % {"names": ", ".join(refused)}
        )
    return _invite_grouped(meeting, people)


def attendance_rows(meeting: Meeting, *, query: str = "", reply: str = "", invitations=None) -> list[Invitation]:
    """The attendance list, filtered by name and answer. Everyone appears once (one invitation per person);
    two people with the same name are told apart by their e-mail address. `invitations`: already loaded."""
    if invitations is None:
        invitations = meeting.invitations.select_related("user")
    invitations = sorted(invitations, key=lambda i: ((i.user.full_name or i.user.email).casefold(), i.pk))
    seen: dict = {}
    for i in invitations:
        name = i.user.full_name or i.user.email
        seen[name.casefold()] = seen.get(name.casefold(), 0) + 1
    for i in invitations:
        name = i.user.full_name or i.user.email
        i.display_name = f"{name} ({i.user.email})" if seen[name.casefold()] > 1 and i.user.full_name else name
    query = (query or "").strip().casefold()
    if query:
        invitations = [i for i in invitations if query in i.display_name.casefold()]
    if reply in Invitation.Reply.values:
        invitations = [i for i in invitations if i.reply == reply]
    return invitations
