"""Business rules for meetings: the seed-004 template, agenda times, invitations and RSVP, the stored
group division, outcomes to actions and the stalled-action follow-up. Views and the API call these."""

import re
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.access.policy import log_list, visible_child_ids
from apps.accounts.languages import in_language_of, language_of
from apps.circles.models import Guardianship
from apps.core.versioning import StaleEdit
from apps.notifications.services import notify
from apps.notifications.texts import Text
from apps.organisations.models import SCHOOL_ROLES, Membership, Role

from . import grouping, permissions, states
from .keys import SevenKey
from .models import (
    ActionItem,
    ActionUpdate,
    AgendaItem,
    ChecklistItem,
    GroupingWish,
    Invitation,
    Meeting,
    Outcome,
    Table,
    Theme,
    WorkingPrinciple,
    minutes_into_meeting_day,
)

# Seed 004 "Voorbereiding".
CHECKLIST_TEMPLATE = [
    gettext_lazy("Actieteam oprichten met collega's uit diverse lagen en afdelingen"),
    gettext_lazy("Thema's kiezen waarover je met ouders in gesprek wilt"),
    gettext_lazy("Vragen bedenken rondom elk thema"),
    gettext_lazy("Uitnodiging maken"),
    gettext_lazy("Gespreksleider(s) aanstellen"),
    gettext_lazy("Ouders uitnodigen (persoonlijke uitnodiging door leerkracht of mentor helpt)"),
    gettext_lazy("Ruimte reserveren en eventueel aankleden"),
    gettext_lazy("Hapje en drankje regelen"),
    gettext_lazy("Groepsindeling maken: elke groep een evenredig aantal ouders en schoolpersoneel"),
    gettext_lazy("Nazorg: terugkoppeling van de opbrengsten en wat school ermee gaat doen"),
]

# Seed 004 agenda: (minutes after the start, duration, who, topic, remark).
AGENDA_TEMPLATE = [
    (
        0,
        15,
        gettext_lazy("actieteam"),
        gettext_lazy("Inloop met koffie, thee en koekjes"),
        gettext_lazy("Door wie verzorgd?"),
    ),
    (
        15,
        5,
        gettext_lazy("gespreksleider"),
        gettext_lazy("Introductie en welkom"),
        gettext_lazy("Waarom organiseert de school deze bijeenkomst?"),
    ),
    (
        20,
        5,
        gettext_lazy("gespreksleider"),
        gettext_lazy("Inleiding ouderpartnerschap"),
        gettext_lazy("Gedeelde verantwoordelijkheid, gelijkwaardig"),
    ),
    (
        25,
        45,
        gettext_lazy("ouders en school"),
        gettext_lazy("Dialoog: ervaringen delen"),
        gettext_lazy("Wat gaat goed? Wat is moeilijk?"),
    ),
    (70, 5, gettext_lazy("gespreksleider"), gettext_lazy("Samenvatting: wat hebben we gehoord?"), ""),
    (75, 10, "", gettext_lazy("Pauze"), ""),
    (
        85,
        30,
        gettext_lazy("gespreksleiders per tafel"),
        gettext_lazy("Thematafels"),
        gettext_lazy("Elk groepje heeft een gespreksleider"),
    ),
    (115, 10, gettext_lazy("deelnemers van de groepen"), gettext_lazy("Presentaties thematafels"), ""),
    (
        125,
        10,
        gettext_lazy("school"),
        gettext_lazy("Afsluiting en vervolgstappen"),
        gettext_lazy("Hoe houden we contact over het onderwerp?"),
    ),
]

# Seed 000: the learning community's eight actions with their working principles.
SEED_ACTIONS = [
    (1, "Startgesprekken met kinderen erbij voeren", ["Mét kind praten in plaats van óver kind"]),
    (2, "Meer onderdelen in ParnasSys openstellen voor ouders", ["Transparante communicatie"]),
    (3, "Pro-actieve communicatie via Parro", ["Korte lijntjes"]),
    (
        4,
        "Kleine praktische voorbeelden CJG in de nieuwsbrief",
        ["Toegankelijke informatie", "CJG laagdrempeliger maken"],
    ),
    (
        5,
        "Ouderperspectief en leerlingperspectief (via leerlingenraad) op de studiedag uitnodigen",
        ["Stem van ouders en kinderen serieus nemen"],
    ),
    (
        6,
        "Gezamenlijke dag organiseren ouders, leerkrachten, leerlingenraad en CJG",
        ["Gezamenlijk startpunt en werken aan gezamenlijk doel"],
    ),
    (
        7,
        "Leerkrachten vaker aanwezig op het schoolplein voor en na schooltijd",
        ["Korte lijntjes", "Laagdrempeligheid", "Sociale veiligheid op het plein"],
    ),
    (
        8,
        "Stappenplan maken wat je moet doen als je een hulpvraag hebt",
        ["Toegankelijke informatie", "Laagdrempeligheid", "Transparante communicatie"],
    ),
]


def _minutes_to_time(minutes: int) -> time:
    minutes %= 24 * 60
    return time(minutes // 60, minutes % 60)


# --- meetings, checklist, agenda -------------------------------------------------------------------


@transaction.atomic
def create_meeting(
    *, school, by, title, kind, starts_at, rsvp_deadline, location="", invitation_text="", use_template=True
) -> Meeting:
    """A meeting; with the template it starts with the seed-004 checklist and agenda."""
    if rsvp_deadline > starts_at:
        raise ValidationError(_("De aanmelddatum moet vóór het begin van de bijeenkomst liggen."))
    meeting = Meeting.objects.create(
        school=school,
        organiser=by,
        title=title,
        kind=kind,
        starts_at=starts_at,
        rsvp_deadline=rsvp_deadline,
        location=location,
        invitation_text=invitation_text,
    )
    meeting.action_team.add(by)
    if use_template:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(meeting=meeting, text=str(text), position=i) for i, text in enumerate(CHECKLIST_TEMPLATE)
        )
        local = timezone.localtime(starts_at)
        base = local.hour * 60 + local.minute
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                start=_minutes_to_time(base + offset),
                duration=duration,
                who=str(who),
                topic=str(topic),
                remark=str(remark),
            )
            for offset, duration, who, topic, remark in AGENDA_TEMPLATE
        )
    return meeting


def ordered_agenda(meeting) -> list[AgendaItem]:
    """The agenda in running order, also when the evening runs past midnight."""
    return sorted(meeting.agenda.all(), key=lambda item: (item.start_minutes, item.pk))


def agenda_summary(items) -> dict:
    """Total minutes, first start and last end: the numbers shown under the agenda."""
    items = sorted(items, key=lambda i: i.start_minutes)
    if not items:
        return {"total": 0, "start": None, "end": None}
    end = max(i.end_minutes for i in items)
    return {
        "total": sum(i.duration for i in items),
        "start": items[0].start.strftime("%H:%M"),
        "end": f"{end // 60 % 24:02d}:{end % 60:02d}",
    }


def first_overlap(new: tuple[int, int], others: list[tuple[int, int]]) -> int | None:
    """Index of the first (start, end) interval in minutes that overlaps `new`; touching is fine."""
    for index, (start, end) in enumerate(others):
        if new[0] < end and start < new[1]:
            return index
    return None


def check_agenda_item(meeting, start: time, duration: int, exclude_pk=None) -> None:
    """Refuse an item that overlaps another: the times of the agenda must add up."""
    if not duration or duration < 1:
        raise ValidationError(_("Geef een duur van minstens één minuut."))
    new_start = minutes_into_meeting_day(meeting, start)
    new_end = new_start + duration
    items = [item for item in ordered_agenda(meeting) if item.pk != exclude_pk]
    clash = first_overlap((new_start, new_end), [(i.start_minutes, i.end_minutes) for i in items])
    if clash is not None:
        item = items[clash]
        raise ValidationError(
            _(
                "Dit punt (%(start)s–%(end)s) overlapt met '%(topic)s' (%(other_start)s–%(other_end)s). "
                "Kies een andere begintijd of duur."
            )
            % {
                "start": start.strftime("%H:%M"),
                "end": _minutes_to_time(new_end).strftime("%H:%M"),
                "topic": item.topic,
                "other_start": item.start.strftime("%H:%M"),
                "other_end": item.end_label,
            }
        )


def add_agenda_item(meeting, *, start, duration, topic, who="", remark="") -> AgendaItem:
    check_agenda_item(meeting, start, duration)
    return AgendaItem.objects.create(
        meeting=meeting, start=start, duration=duration, topic=topic, who=who, remark=remark
    )


def _save_versioned(obj, version: int, fields: dict) -> None:
    """Save only when nobody changed the row since it was read (compare-and-set on `version`)."""
    if version != obj.version:
        raise StaleEdit(obj)
    updated = type(obj).objects.filter(pk=obj.pk, version=version).update(version=version + 1, **fields)
    if not updated:
        raise StaleEdit(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = version + 1


MEETING_FIELDS = ("kind", "title", "starts_at", "location", "rsvp_deadline", "invitation_text")


@transaction.atomic
def update_meeting(meeting, *, version: int, **fields) -> Meeting:
    """Change a meeting's details with the same rule as creating it; a stale edit is refused."""
    fields = {k: v for k, v in fields.items() if k in MEETING_FIELDS}
    starts_at = fields.get("starts_at", meeting.starts_at)
    rsvp_deadline = fields.get("rsvp_deadline", meeting.rsvp_deadline)
    if rsvp_deadline > starts_at:
        raise ValidationError(_("De aanmelddatum moet vóór het begin van de bijeenkomst liggen."))
    _save_versioned(meeting, version, fields)
    return meeting


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, version: int, start, duration, topic, who="", remark="") -> AgendaItem:
    """Change an agenda item; it may not overlap another item (touching is fine), nothing is saved on error."""
    check_agenda_item(item.meeting, start, duration, exclude_pk=item.pk)
    _save_versioned(item, version, {"start": start, "duration": duration, "topic": topic, "who": who, "remark": remark})
    return item


def add_checklist_item(meeting, text: str) -> ChecklistItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Schrijf op wat er gedaan moet worden."))
    return ChecklistItem.objects.create(meeting=meeting, text=text[:300], position=meeting.checklist.count())


def toggle_checklist(item: ChecklistItem) -> ChecklistItem:
    item.done = not item.done
    item.save(update_fields=["done"])
    return item


def add_to_action_team(meeting, user_id) -> None:
    """Only colleagues of the school join the action team (seed 004: colleagues from several layers)."""
    user = school_staff(meeting).filter(pk=user_id).first() if str(user_id or "").isdigit() else None
    if user is None:
        raise ValidationError(_("Kies een collega van deze school."))
    meeting.action_team.add(user)


def add_theme(meeting, *, title, questions="") -> Theme:
    return Theme.objects.create(meeting=meeting, title=title, questions=questions, position=meeting.themes.count())


# --- invitations and RSVP --------------------------------------------------------------------------


def personal_text(invitation: Invitation) -> str:
    """The personal invitation: name, what, when, where, until when to answer, and the school's own text."""
    meeting = invitation.meeting
    start = timezone.localtime(meeting.starts_at)
    text = _(
        "Beste %(name)s,\n\n%(school)s nodigt u uit voor '%(title)s' op %(date)s om %(time)s%(where)s. "
        "Laat u vóór %(deadline)s weten of u komt?"
    ) % {
        "name": invitation.user.full_name or invitation.user.email,
        "school": meeting.school.name,
        "title": meeting.title,
        "date": date_format(start, "l j F Y"),
        "time": start.strftime("%H:%M"),
        "where": (" " + _("in %(place)s") % {"place": meeting.location}) if meeting.location else "",
        "deadline": date_format(timezone.localtime(meeting.rsvp_deadline), "j F H:i"),
    }
    if meeting.invitation_text:
        text += "\n\n" + meeting.invitation_text
    return text


def _staff_role(membership_role: str) -> str:
    return membership_role if membership_role in grouping.ROLE_CATEGORY else "staff"


def guardians_for(meeting, *, group=None, year_level=None):
    """Guardians of pupils of the meeting's school: of one class, one year, or all."""
    qs = Guardianship.objects.filter(child__school=meeting.school)
    if group is not None:
        qs = qs.filter(child__group=group)
    if year_level is not None:
        qs = qs.filter(child__group__year_level=year_level)
    from apps.accounts.models import User

    return User.objects.filter(pk__in=qs.values("user_id")).order_by("full_name", "pk")


# Larger audiences (a whole school) are invited by a background task with progress on the page.
INVITE_IN_REQUEST_UP_TO = 60


@transaction.atomic
def invite(meeting, users, *, kind: str, role: str | None = None, leaders=()) -> int:
    """Invite people (once each) and send them the personal invitation; returns how many are new."""
    existing = set(meeting.invitations.values_list("user_id", flat=True))
    staff_roles = {}
    if kind == Invitation.Kind.STAFF:
        for m in (
            Membership.objects.effective()
            .filter(school=meeting.school, role__in=[r.value for r in SCHOOL_ROLES])
            .order_by("pk")
        ):
            staff_roles.setdefault(m.user_id, _staff_role(m.role))
    default_role = role or {
        Invitation.Kind.GUARDIAN: "parent",
        Invitation.Kind.PUPIL_COUNCIL: "pupil",
        Invitation.Kind.PARTNER: "cjg",
    }.get(kind, "staff")
    leader_ids = {u.pk for u in leaders}
    created = []
    for user in users:
        if user.pk in existing:
            continue
        existing.add(user.pk)
        created.append(
            Invitation.objects.create(
                meeting=meeting,
                user=user,
                kind=kind,
                role=staff_roles.get(user.pk, default_role),
                is_leader=user.pk in leader_ids,
            )
        )
    url = reverse("meetings:rsvp", args=[meeting.pk])
    for invitation in created:
        with in_language_of(invitation.user):  # the e-mail in the invitee's language (docs/languages.md)
            text = personal_text(invitation)
        notify(
            invitation.user,
            f"meeting-invite:{meeting.pk}:{invitation.user_id}",
            Text(gettext_noop("Uitnodiging: %(title)s"), title=meeting.title),
            url=url,
            email_subject=Text(gettext_noop("Uitnodiging: %(title)s"), title=meeting.title),
            email_body=text,
        )
    return len(created)


def pupil_candidates(meeting, user=None):
    """Pupils of the meeting's school with their own account: who may be chosen for the pupils' council.
    Chosen by `user`: only the pupils the policy lets that person see (their names are child data)."""
    from apps.accounts.models import User

    pupils = User.objects.filter(child_record__school=meeting.school, is_active=True)
    if user is not None:
        pupils = pupils.filter(child_record__in=visible_child_ids(user))
    return pupils.order_by("full_name", "pk")


def log_pupil_candidates(actor, meeting) -> None:
    """The meeting page lists the pupils that may be chosen for the council: log that list."""
    from apps.circles.models import Child

    pupils = pupil_candidates(meeting, actor.user)
    log_list(actor, list(Child.objects.filter(user__in=pupils)), label=gettext_lazy("de keuze voor de leerlingenraad"))


def invite_pupil_council(meeting, pupils, by=None) -> int:
    """Invite the chosen council members only; anyone not a pupil of this school with an account is refused."""
    ids = {getattr(p, "pk", p) for p in pupils}
    if not ids:
        raise ValidationError(_("Kies de leerlingen van de leerlingenraad."))
    chosen = list(pupil_candidates(meeting, by).filter(pk__in=ids))
    if len(chosen) != len(ids):
        raise ValidationError(_("Kies alleen leerlingen van deze school met een eigen account."))
    return invite(meeting, chosen, kind=Invitation.Kind.PUPIL_COUNCIL)


def school_staff(meeting):
    from apps.accounts.models import User

    staff = Membership.objects.effective().filter(school=meeting.school, role__in=[r.value for r in SCHOOL_ROLES])
    return User.objects.filter(pk__in=staff.values("user_id"))


def school_partners(meeting):
    """Youth-care workers (CJG and others) who are in the circle of a pupil of this school."""
    from apps.accounts.models import User

    return (
        User.objects.filter(
            circles__child__school=meeting.school,
            circles__organisation__isnull=False,
            circles__until__isnull=True,
        )
        .distinct()
        .order_by("full_name")
    )


def respond(invitation: Invitation, reply: str, now=None) -> Invitation:
    """Record an RSVP; after the deadline nothing changes and the reason is given in Dutch."""
    now = now or timezone.now()
    if reply not in (Invitation.Reply.YES, Invitation.Reply.NO):
        raise ValidationError(_("Kies of u komt of niet."))
    if now > invitation.meeting.rsvp_deadline:
        raise ValidationError(
            _("Aanmelden kon tot %(deadline)s. Neem contact op met de school als u toch wilt komen.")
            % {"deadline": date_format(timezone.localtime(invitation.meeting.rsvp_deadline), "j F Y H:i")}
        )
    invitation.reply = reply
    invitation.replied_at = now
    invitation.save(update_fields=["reply", "replied_at"])
    return invitation


def send_due_reminders(now=None, days_before: int = 3) -> int:
    """The scheduled run: remind for every meeting whose answer deadline is within a few days."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(rsvp_deadline__gte=now, rsvp_deadline__lte=now + timedelta(days=days_before))
    return sum(send_reminders(meeting, now) for meeting in meetings)


def send_reminders(meeting, now=None) -> int:
    """Remind everyone who has not answered yet; safe to run repeatedly (one reminder per person)."""
    now = now or timezone.now()
    if now > meeting.rsvp_deadline:
        return 0
    sent = 0
    url = reverse("meetings:rsvp", args=[meeting.pk])
    for invitation in meeting.invitations.filter(reply=Invitation.Reply.PENDING).select_related("user", "meeting"):
        with in_language_of(invitation.user):
            body = personal_text(invitation)
        note = notify(
            invitation.user,
            f"meeting-reminder:{meeting.pk}:{invitation.user_id}",
            Text(gettext_noop("Herinnering: laat u weten of u komt naar '%(title)s'?"), title=meeting.title),
            url=url,
            email_subject=Text(gettext_noop("Herinnering: %(title)s"), title=meeting.title),
            email_body=body,
        )
        sent += note is not None
    return sent


def _ids(values) -> set[int]:
    return {int(i) for i in values if str(i).isdigit()}


@transaction.atomic
def set_attendance(meeting, present_ids, among=None) -> None:
    """Mark who came. `among`: the invitations shown (a filtered list); the others keep what they had."""
    present = _ids(present_ids)
    rows = meeting.invitations.all() if among is None else meeting.invitations.filter(pk__in=_ids(among))
    rows.update(attended=False)
    meeting.invitations.filter(pk__in=present).update(attended=True)


@transaction.atomic
def set_leaders(meeting, leader_ids, among=None) -> None:
    leaders = _ids(leader_ids)
    rows = meeting.invitations.all() if among is None else meeting.invitations.filter(pk__in=_ids(among))
    rows.update(is_leader=False)
    meeting.invitations.filter(pk__in=leaders).update(is_leader=True)


def add_wish(meeting, first: Invitation, second: Invitation, kind: str) -> GroupingWish:
    if first.pk == second.pk:
        raise ValidationError(_("Kies twee verschillende mensen."))
    if first.meeting_id != meeting.pk or second.meeting_id != meeting.pk:
        raise ValidationError(_("Een voorkeur noemt iemand die niet aan deze bijeenkomst deelneemt."))
    return GroupingWish.objects.create(meeting=meeting, first=first, second=second, kind=kind)


# --- the division into theme tables ----------------------------------------------------------------


def participants(meeting):
    """Who sits at the tables: those present when attendance is taken, otherwise those who said yes."""
    invitations = meeting.invitations.select_related("user")
    if invitations.filter(attended=True).exists():
        return invitations.filter(attended=True)
    return invitations.filter(reply=Invitation.Reply.YES)


def propose_division(meeting, n_groups: int) -> grouping.Division:
    people = list(participants(meeting))
    attendees = [grouping.Attendee(i.pk, i.role, i.is_leader, i.user.full_name or i.user.email) for i in people]
    together, apart = [], []
    for wish in meeting.wishes.all():
        (together if wish.kind == GroupingWish.Kind.TOGETHER else apart).append((wish.first_id, wish.second_id))
    return grouping.divide(attendees, n_groups, together, apart)


@transaction.atomic
def divide_into_tables(meeting, n_groups: int) -> list[Table]:
    """Store a balanced division; an impossible one raises the Dutch reasons and changes nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if Outcome.objects.filter(table__meeting=meeting).exists() or meeting.tables.exclude(notes="").exists():
        raise ValidationError(
            _("Aan de tafels zijn al aantekeningen gemaakt; een nieuwe indeling zou die loskoppelen.")
        )
    division = propose_division(meeting, n_groups)
    if not division.ok:
        raise ValidationError(division.problems)
    meeting.tables.all().delete()
    themes = list(meeting.themes.all())
    tables = []
    for number, (ids, text) in enumerate(zip(division.groups, division.explanations, strict=True), start=1):
        table = Table.objects.create(
            meeting=meeting,
            number=number,
            theme=themes[(number - 1) % len(themes)] if themes else None,
            explanation=text[:300],
        )
        table.members.set(ids)
        tables.append(table)
    return tables


def save_notes(table: Table, notes: str, version: int) -> Table:
    """Keep someone else's newer notes: a stale version is refused, not overwritten."""
    updated = Table.objects.filter(pk=table.pk, version=version).update(notes=notes, version=version + 1)
    if not updated:
        raise ValidationError(
            _("Iemand anders heeft de aantekeningen intussen gewijzigd. Laad de pagina opnieuw en voeg uw tekst toe.")
        )
    table.refresh_from_db()
    return table


def add_outcome(table: Table, text: str) -> Outcome:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Schrijf op wat er aan tafel is gezegd."))
    return Outcome.objects.create(table=table, text=text)


# --- actions ---------------------------------------------------------------------------------------


def principle_names(text: str) -> list[str]:
    """'korte lijntjes, mét het kind' -> ['korte lijntjes', 'mét het kind'] (the web form's one text field)."""
    return [n.strip() for n in re.split(r"[,;\n]", text or "") if n.strip()]


def principles_named(school, names) -> list[WorkingPrinciple]:
    """The school's werkprincipes with these names, each created once."""
    result = []
    for name in names:
        name = (name or "").strip()[:200]
        if name:
            principle, _created = WorkingPrinciple.objects.get_or_create(school=school, name=name)
            result.append(principle)
    return result


def principles_from_text(school, text: str) -> list[WorkingPrinciple]:
    """'korte lijntjes, mét het kind' -> werkprincipes of the school (created once)."""
    return principles_named(school, principle_names(text))


@transaction.atomic
def create_action(
    *, school, by, title, owner, principles=(), meeting=None, outcome=None, theme=None, number=None, key=""
) -> ActionItem:
    from .permissions import can_organise

    if not (title or "").strip():
        raise ValidationError(_("Geef de actie een naam."))
    if not can_organise(owner, school):
        raise ValidationError(_("De eigenaar van een actie moet bij de school werken."))
    if theme is not None and meeting is not None and theme.meeting_id != meeting.pk:
        raise ValidationError(_("Dit thema hoort bij een andere bijeenkomst."))
    if key and key not in SevenKey.values:
        raise ValidationError(_("Kies een van de zeven sleutels."))
    if outcome is not None and theme is None:
        theme = outcome.table.theme
    action = ActionItem.objects.create(
        school=school,
        meeting=meeting,
        outcome=outcome,
        theme=theme,
        title=title.strip(),
        owner=owner,
        number=number,
        key=key,
    )
    action.principles.set(principles)
    return action


@transaction.atomic
def create_meeting_action(
    meeting, *, by, title, owner, principle_names=(), outcome=None, theme=None, key=""
) -> ActionItem:
    """An action that follows from a meeting, optionally from one outcome at its tables (web page and API).
    One transaction: a refused action leaves no new werkprincipes behind."""
    if outcome is not None and outcome.table.meeting_id != meeting.pk:
        raise ValidationError(_("Deze opbrengst hoort bij een andere bijeenkomst."))
    return create_action(
        school=meeting.school,
        by=by,
        title=title,
        owner=owner,
        principles=principles_named(meeting.school, principle_names),
        meeting=meeting,
        outcome=outcome,
        theme=theme,
        key=key,
    )


@transaction.atomic
def add_update(action: ActionItem, *, by, text: str, status: str, version: int) -> ActionUpdate:
    """A progress update; it also moves the status and resets the stalled clock."""
    if not (text or "").strip():
        raise ValidationError(_("Beschrijf kort wat er is gebeurd."))
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Kies een geldige status."))
    now = timezone.now()
    # A stopped action keeps its reason on the feedback page: the update's text is that reason.
    reason = text.strip()[:500] if status == ActionItem.Status.STOPPED else ""
    updated = ActionItem.objects.filter(pk=action.pk, version=version).update(
        status=status, last_activity_at=now, stopped_reason=reason, version=version + 1
    )
    if not updated:
        raise ValidationError(_("Iemand anders heeft deze actie intussen bijgewerkt. Laad de pagina opnieuw."))
    action.refresh_from_db()
    return ActionUpdate.objects.create(action=action, author=by, text=text.strip(), status=status, created_at=now)


@transaction.atomic
def restart_action(action: ActionItem, *, by, new_owner, text: str, version: int) -> ActionUpdate:
    """The director restarts a stalled or stopped action with a new owner (seed 000: keep working on what did
    not get off the ground). The history keeps the earlier updates and who owned it before."""
    from .states import action_state

    if not permissions.can_restart(by, action.school):
        raise ValidationError(_("Alleen de directeur start een actie opnieuw."))
    state = action_state(action)
    if not state.restartable:
        raise ValidationError(_("Alleen een actie die stilstaat of gestopt is, kan opnieuw starten."))
    if new_owner is None or not permissions.can_organise(new_owner, action.school):
        raise ValidationError(_("De nieuwe eigenaar moet bij de school werken."))
    text = (text or "").strip() or _("Opnieuw gestart.")
    now = timezone.now()
    previous = action.owner
    updated = ActionItem.objects.filter(pk=action.pk, version=version).update(
        status=ActionItem.Status.STARTED,
        owner=new_owner,
        stopped_reason="",
        last_activity_at=now,
        version=version + 1,
    )
    if not updated:
        raise ValidationError(_("Iemand anders heeft deze actie intussen bijgewerkt. Laad de pagina opnieuw."))
    action.refresh_from_db()
    update = ActionUpdate.objects.create(
        action=action,
        author=by,
        text=text,
        status=ActionItem.Status.STARTED,
        previous_owner=previous,
        created_at=now,
    )
    if new_owner.pk != by.pk:
        notify(
            new_owner,
            f"action-restarted:{action.pk}:{update.pk}",
            _("U bent de nieuwe eigenaar van de actie '%(title)s'.") % {"title": action.title[:150]},
            url=reverse("meetings:action", args=[action.pk]),
        )
    return update


@transaction.atomic
def import_seed_actions(school, owner, meeting=None) -> int:
    """Seed 000's eight actions with their working principles; importing twice adds nothing."""
    existing = set(
        ActionItem.objects.filter(school=school, title__in=[t for _n, t, _p in SEED_ACTIONS]).values_list(
            "title", flat=True
        )
    )
    created = 0
    for number, title, principle_names in SEED_ACTIONS:
        if title in existing:
            continue
        principles = [WorkingPrinciple.objects.get_or_create(school=school, name=n)[0] for n in principle_names]
        create_action(
            school=school, by=owner, title=title, owner=owner, principles=principles, meeting=meeting, number=number
        )
        created += 1
    return created


def directors_of(school):
    from apps.accounts.models import User

    directors = Membership.objects.effective().filter(school=school, role=Role.DIRECTOR)
    return User.objects.filter(pk__in=directors.values("user_id"))


def stalled_actions(now=None):
    """Open actions without a progress update for six weeks (`ActionItem.is_stalled`, as a query)."""
    from .models import STALLED_AFTER

    now = now or timezone.now()
    return ActionItem.objects.filter(
        status__in=[ActionItem.Status.PLANNED, ActionItem.Status.STARTED], last_activity_at__lte=now - STALLED_AFTER
    )


def my_stalled_actions(user, now=None):
    """Stalled actions I own, at schools where I still organise (someone who left is not asked)."""
    return stalled_actions(now).filter(owner=user, school__in=permissions.organising_schools(user))


def unanswered_invitations(user, now=None):
    """My meeting invitations without an answer while answering is still possible (`respond`'s deadline)."""
    now = now or timezone.now()
    return Invitation.objects.filter(user=user, reply=Invitation.Reply.PENDING, meeting__rsvp_deadline__gte=now)


def flag_stalled_actions(now=None) -> int:
    """Tell owner and director about open actions without an update for six weeks. Idempotent: the key
    holds the last activity, so a run twice sends nothing twice and a new stall after an update does."""
    now = now or timezone.now()
    sent = 0
    stalled = stalled_actions(now).select_related("owner", "school")
    directors_by_school = {}
    for action in stalled:
        if action.school_id not in directors_by_school:
            directors_by_school[action.school_id] = list(directors_of(action.school))
        weeks = (now - action.last_activity_at).days // 7
        text = _("De actie '%(title)s' heeft al %(weeks)d weken geen voortgang. Wat is de volgende stap?") % {
            "title": action.title[:150],
            "weeks": weeks,
        }
        url = reverse("meetings:action", args=[action.pk])
        stamp = action.last_activity_at.strftime("%Y%m%d%H%M%S")
        for person in {action.owner, *directors_by_school[action.school_id]}:
            note = notify(
                person,
                f"action-stalled:{action.pk}:{stamp}",
                text,
                url=url,
                email_subject=_("Actie staat stil: %(title)s") % {"title": action.title[:80]},
            )
            sent += note is not None
    return sent


# --- "jullie zeiden, wij deden" --------------------------------------------------------------------


def feedback(school) -> dict:
    """Per theme: what parents said and the actions with status and latest update (a fixed number of
    queries, whatever the number of meetings, themes or actions)."""
    latest = Prefetch("updates", queryset=ActionUpdate.objects.order_by("-created_at", "-pk"), to_attr="update_list")
    actions = list(
        ActionItem.objects.filter(school=school)
        .select_related("owner", "theme", "outcome")
        .prefetch_related("principles", latest)
    )
    themes = list(
        Theme.objects.filter(meeting__school=school)
        .select_related("meeting")
        .prefetch_related(Prefetch("tables__outcomes", queryset=Outcome.objects.order_by("pk")))
        .order_by("-meeting__starts_at", "position", "pk")
    )
    by_theme = {}
    loose = []
    now = timezone.now()
    counts = dict.fromkeys(states.LABELS, 0)
    for action in actions:
        action.latest_update = action.update_list[0] if action.update_list else None
        action.state = states.action_state(action, now)  # never hidden, never "gepland" when it stalled
        counts[action.state.code] += 1
        if action.theme_id:
            by_theme.setdefault(action.theme_id, []).append(action)
        else:
            loose.append(action)
    rows = []
    for theme in themes:
        said = [o for t in theme.tables.all() for o in t.outcomes.all()]
        if not said and theme.pk not in by_theme:
            continue  # a theme not yet discussed: nothing to show parents
        rows.append({"theme": theme, "said": said, "actions": by_theme.get(theme.pk, [])})
    state_counts = [(str(states.LABELS[code]), code, n) for code, n in counts.items() if n]
    return {"themes": rows, "other_actions": loose, "state_counts": state_counts}


def summary_pdf(school) -> bytes:
    """The printable "jullie zeiden, wij deden" summary as PDF (WeasyPrint)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("meetings/feedback_print.html", {"school": school, **feedback(school)})
    return HTML(string=html).write_pdf()


def send_summary(meeting) -> int:
    """Send the summary to everyone who came (or said yes) — once per person (seed 004 "nazorg")."""
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("De samenvatting kan pas na de bijeenkomst worden verstuurd."))
    pdfs: dict[str, bytes] = {}  # one PDF per language: each person gets it in their own (docs/languages.md)
    url = reverse("meetings:feedback", args=[meeting.school_id])
    sent = 0
    for invitation in participants(meeting):
        code = language_of(invitation.user)
        if code not in pdfs:
            with translation.override(code):
                pdfs[code] = summary_pdf(meeting.school)
        pdf = pdfs[code]
        note = notify(
            invitation.user,
            f"meeting-summary:{meeting.pk}:{invitation.user_id}",
            Text(gettext_noop("Jullie zeiden, wij deden: wat '%(title)s' heeft opgeleverd"), title=meeting.title[:150]),
            url=url,
            email_subject=Text(gettext_noop("Terugkoppeling: %(title)s"), title=meeting.title[:100]),
            email_body=Text(
                gettext_noop(
                    "Dank u wel voor uw komst. In de bijlage leest u wat er is gezegd en wat de school ermee doet. "
                    "De voortgang volgt u op de pagina 'Jullie zeiden, wij deden'."
                )
            ),
            attachments=[("jullie-zeiden-wij-deden.pdf", pdf, "application/pdf")],
        )
        sent += note is not None
    return sent


def meeting_start_local(meeting) -> datetime:
    return timezone.localtime(meeting.starts_at)


def default_deadline(starts_at: datetime) -> datetime:
    return starts_at - timedelta(days=2)
