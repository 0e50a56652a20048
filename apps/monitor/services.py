"""Writes of the partnership monitor: starting a wave, invitations and reminders, answering (docs/learning.md).

Answering never stores who answered what: `submit` marks the participant as answered and writes a
`Response` with no link to them, in one transaction (so a crash loses neither or both). Nothing in the
answer path writes a log entry, a notification or a time."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.circles.models import Child, Guardianship
from apps.notifications.services import notify
from apps.organisations.models import SCHOOL_ROLES, Membership

from . import questions
from .models import Answer, ChildCode, Finding, Participant, Perspective, Response, Wave

# Results are shown for a set of answers only when it holds at least this many (docs/learning.md).
MIN_ANSWERS = 5
# The class is stored with an answer only from the moment at least this many people of that perspective in that
# class have answered, so a stored class never narrows an answer down to fewer people than this.
CLASS_MIN = MIN_ANSWERS
CHILD_FROM_YEAR = 5  # children answer from groep 5
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


def _check_wave(school, title, closes_on: date, groups, perspectives, today: date) -> None:
    if not (title or "").strip():
        raise ValidationError(_("Geef de peiling een naam."))
    if closes_on < today:
        raise ValidationError(_("De einddatum ligt in het verleden. Kies een datum vanaf vandaag."))
    if not groups:
        raise ValidationError(_("Kies minstens één groep."))
    if any(g.school_id != school.pk for g in groups):
        raise ValidationError(_("Een van de gekozen groepen hoort bij een andere school."))
    if not perspectives or any(p not in Perspective.values for p in perspectives):
        raise ValidationError(_("Kies wie de vragenlijst invult: ouders, professionals en/of kinderen."))
    if Perspective.CHILD in perspectives and not any(g.year_level >= CHILD_FROM_YEAR for g in groups):
        raise ValidationError(_("Kinderen vullen de vragenlijst in vanaf groep 5. Kies ook een groep 5 of hoger."))


def parents_of(groups):
    """(user, group) for each guardian of a pupil in these groups; a parent of two pupils is counted once."""
    seen, result = set(), []
    rows = (
        Guardianship.objects.filter(child__group__in=groups, child__left_on__isnull=True)
        .select_related("user", "child")
        .order_by("user__full_name", "pk")
    )
    for g in rows:
        if g.user_id not in seen and g.user.is_active:
            seen.add(g.user_id)
            result.append((g.user, g.child.group_id))
    return result


def professionals_of(school, groups):
    """The school's staff and the youth-care workers in the circle of a pupil of these groups."""
    staff_ids = Membership.objects.effective().filter(school=school, role__in=[r.value for r in SCHOOL_ROLES])
    youth = User.objects.filter(
        circles__child__group__in=groups, circles__organisation__isnull=False, circles__until__isnull=True
    )
    return User.objects.filter(
        Q(pk__in=staff_ids.values("user_id")) | Q(pk__in=youth.values("pk")), is_active=True
    ).order_by("full_name")


@transaction.atomic
def start_wave(*, school, by, title, closes_on: date, groups, perspectives, today: date | None = None) -> Wave:
    """A wave for these groups: participants are written now (their order is the order of invitation) and
    invited through the notifications; children get one-time codes, one per pupil from groep 5."""
    today = today or timezone.localdate()
    groups = list(groups)
    perspectives = [str(p) for p in perspectives]
    _check_wave(school, title, closes_on, groups, perspectives, today)
    wave = Wave.objects.create(
        school=school, title=title.strip(), opens_on=today, closes_on=closes_on, perspectives=perspectives,
        created_by=by,
    )  # fmt: skip
    wave.groups.set(groups)
    rows = []
    if Perspective.PARENT in perspectives:
        for user, _group in parents_of(groups):
            rows.append(Participant(wave=wave, user=user, perspective=Perspective.PARENT, group_id=_group))
    if Perspective.PROFESSIONAL in perspectives:
        taken = {r.user_id for r in rows}
        rows += [
            Participant(wave=wave, user=u, perspective=Perspective.PROFESSIONAL)
            for u in professionals_of(school, groups)
            if u.pk not in taken
        ]
    Participant.objects.bulk_create(rows)
    if Perspective.CHILD in perspectives:
        counts = {}
        for group_id in Child.objects.filter(
            group__in=[g for g in groups if g.year_level >= CHILD_FROM_YEAR], left_on__isnull=True
        ).values_list("group_id", flat=True):
            counts[group_id] = counts.get(group_id, 0) + 1
        ChildCode.objects.bulk_create(
            ChildCode(wave=wave, group_id=gid, code=_code()) for gid, n in counts.items() for _i in range(n)
        )
    for p in rows:
        _invite(wave, p.user)
    return wave


def _invite(wave, user, *, reminder_on: date | None = None) -> None:
    url = reverse("monitor:answer", args=[wave.pk])
    if reminder_on is None:
        key = f"monitor-invite:{wave.pk}"
        text = _(
            "%(school)s vraagt uw mening: hoe gaat de samenwerking tussen ouders, school en jeugdhulp? (5 minuten)"
        )
    else:
        key = f"monitor-reminder:{wave.pk}:{reminder_on.isoformat()}"
        text = _("Herinnering: u kunt de vragenlijst van %(school)s nog invullen tot en met %(date)s.")
    body = text % {"school": wave.school.name, "date": wave.closes_on.strftime("%d-%m-%Y")}
    notify(user, key, body, url=url, email_subject=_("Vragenlijst over samenwerken"))


def send_reminders(wave, today: date | None = None) -> int:
    """Remind those who have not answered (once a day at most). Returns how many were reminded."""
    today = today or timezone.localdate()
    if not wave.is_open(today):
        raise ValidationError(_("Deze peiling is gesloten; herinneren kan alleen zolang hij open is."))
    sent = 0
    for p in Participant.objects.filter(wave=wave, answered=False).select_related("user"):
        _invite(wave, p.user, reminder_on=today)
        sent += 1
    return sent


REMIND_DAYS_BEFORE_CLOSING = 3


def send_due_reminders(today: date | None = None) -> int:
    """The automatic reminder: three days before a wave closes, everyone who has not answered yet."""
    from datetime import timedelta

    today = today or timezone.localdate()
    due = Wave.objects.filter(closes_on=today + timedelta(days=REMIND_DAYS_BEFORE_CLOSING), opens_on__lte=today)
    return sum(send_reminders(wave, today) for wave in due.select_related("school"))


def clean_answers(perspective: str, data) -> dict[str, int]:
    """{item code: 1-5} from the form; 'weet ik niet' (empty) is left out. A clear Dutch error when nothing
    was answered or a value is out of range."""
    result = {}
    for item in questions.items_for(perspective):
        raw = (data.get(item.code) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not questions.SCALE_MIN <= int(raw) <= questions.SCALE_MAX:
            raise ValidationError(_("Kies bij elke vraag een van de antwoorden."))
        result[item.code] = int(raw)
    if not result:
        raise ValidationError(_("U heeft nog geen enkele vraag beantwoord."))
    return result


def _store(wave, perspective: str, group_id, answers: dict[str, int]) -> Response:
    by_code = {i.code: i for i in questions.items_for(perspective)}
    response = Response.objects.create(wave=wave, school_id=wave.school_id, perspective=perspective, group_id=group_id)
    Answer.objects.bulk_create(
        Answer(
            response=response,
            wave=wave,
            perspective=perspective,
            group_id=group_id,
            item=code,
            key=by_code[code].key,
            value=value,
        )  # fmt: skip
        for code, value in answers.items()
    )
    return response


def participation(wave, user) -> Participant | None:
    return Participant.objects.filter(wave=wave, user=user).first()


@transaction.atomic
def submit(wave, user, data, today: date | None = None) -> None:
    """Store one person's answers without any link to them; answering a second time is refused."""
    if not wave.is_open(today):
        raise ValidationError(_("Deze peiling is gesloten. U kunt niet meer invullen."))
    participant = participation(wave, user)
    if participant is None:
        raise ValidationError(_("U bent niet uitgenodigd voor deze peiling."))
    answers = clean_answers(participant.perspective, data)
    if not Participant.objects.filter(pk=participant.pk, answered=False).update(answered=True):
        raise ValidationError(_("U heeft deze vragenlijst al ingevuld. Uw eerste antwoorden tellen; dank u wel."))
    group_id = None
    if participant.group_id:
        answered_here = Participant.objects.filter(
            wave=wave, perspective=participant.perspective, group_id=participant.group_id, answered=True
        ).count()
        group_id = participant.group_id if answered_here >= CLASS_MIN else None
    _store(wave, participant.perspective, group_id, answers)


def code_wave(code: str) -> ChildCode | None:
    return ChildCode.objects.select_related("wave__school").filter(code=(code or "").strip().upper()).first()


@transaction.atomic
def submit_child(code: str, data, today: date | None = None) -> None:
    """A child's answers with a one-time code: the code is used up, the answers keep no trace of it."""
    found = code_wave(code)
    if found is None:
        raise ValidationError(_("Deze code klopt niet. Kijk nog eens goed of vraag je juf of meester."))
    if not found.wave.is_open(today):
        raise ValidationError(_("Deze vragenlijst is gesloten."))
    answers = clean_answers(Perspective.CHILD, data)
    if not ChildCode.objects.filter(pk=found.pk, used=False).update(used=True):
        raise ValidationError(_("Deze code is al gebruikt. Je antwoorden van de eerste keer tellen."))
    used_here = ChildCode.objects.filter(wave=found.wave, group_id=found.group_id, used=True).count()
    _store(found.wave, Perspective.CHILD, found.group_id if used_here >= CLASS_MIN else None, answers)


@transaction.atomic
def act_on_result(wave, key: str, *, by, summary: str = "") -> Finding:
    """Turn a result into an action on the school's board in one step, with the key as its working principle,
    and link both the finding and the action to the recommendation that fits the key best."""
    from apps.knowledge import services as knowledge
    from apps.meetings import services as meetings

    if key not in questions.KEY_LABELS:
        raise ValidationError(_("Deze sleutel bestaat niet."))
    with translation.override("nl"):  # the school's werkprincipe is stored in the source language
        principle = questions.key_label(key)
        title = _("Werken aan %(key)s (uit de peiling %(wave)s)") % {"key": principle, "wave": wave.title}
    action = meetings.create_action(
        school=wave.school, by=by, title=title, owner=by, principles=meetings.principles_named(wave.school, [principle])
    )
    finding = Finding.objects.create(wave=wave, key=key, summary=(summary or title)[:300], action=action, created_by=by)
    for rec in knowledge.recommendations_for_keys([key])[:1]:
        knowledge.add_link(finding, rec)
        knowledge.add_link(action, rec)
    return finding
