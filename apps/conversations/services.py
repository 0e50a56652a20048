"""Rules of a conversation: plan it with a purpose, invite the circle (the child too), prepare, record,
turn outcomes into plan agreements, and send feedback. Every read/write of child data goes through
the access policy with the conversation's category (see `models.KIND_CATEGORY`)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.access.owner import owner_for_author
from apps.access.policy import Action, authorize, decide, log_items, visible_q_by_category
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.core.schooldays import add_school_days
from apps.core.versioning import StaleEdit
from apps.notifications import menu_counts
from apps.notifications.services import notify
from apps.notifications.texts import Lines, Text
from apps.organisations.models import Membership
from apps.referrals.selectors import consent_member_ids

from . import ical
from .labels import log_label
from .models import KIND_CATEGORY, Conversation, Kind, Outcome, Participant, Preparation, Status
from .permissions import may_cancel, may_fill_in_for_child, may_record, participant_for

CHILD_INVITED_FROM_AGE = 4
FEEDBACK_SCHOOL_DAYS = 5
MAX_TEXT = 500

# Preparation questions per kind of participant. The child's are short and friendly (B1 and lower).
CHILD_QUESTIONS = [
    ("proud", gettext_lazy("Waar ben je trots op?")),
    ("difficult", gettext_lazy("Wat vind je moeilijk?")),
    ("tell_teacher", gettext_lazy("Wat wil je dat de juf weet?")),
]
GUARDIAN_QUESTIONS = [
    ("going_well", gettext_lazy("Wat gaat goed thuis?")),
    ("school_should_know", gettext_lazy("Wat wil je dat school weet?")),
]
PROFESSIONAL_QUESTIONS = [
    ("going_well", gettext_lazy("Wat gaat goed?")),
    ("to_discuss", gettext_lazy("Wat wil je bespreken?")),
]
MOODS = [
    ("happy", "😀", gettext_lazy("blij")),
    ("ok", "😊", gettext_lazy("gaat wel")),
    ("unsure", "😐", gettext_lazy("weet ik niet")),
    ("sad", "😟", gettext_lazy("niet zo fijn")),
]


def questions_for(participant: Participant):
    return {
        Participant.Kind.CHILD: CHILD_QUESTIONS,
        Participant.Kind.GUARDIAN: GUARDIAN_QUESTIONS,
    }.get(participant.kind, PROFESSIONAL_QUESTIONS)


def _label(conversation_or_kind, child: Child) -> str:
    kind = conversation_or_kind.kind if isinstance(conversation_or_kind, Conversation) else conversation_or_kind
    return log_label(gettext_lazy("het %(kind)s van %(name)s"), kind=Kind(kind).label, name=child.first_name)


def _authorize(actor: Actor, action, conversation: Conversation):
    return authorize(
        actor,
        action,
        conversation.child,
        conversation.category,
        obj=conversation,
        label=_label(conversation, conversation.child),
    )


def _ensure_open(conversation: Conversation):
    if conversation.is_cancelled:
        raise ValidationError(_("Dit gesprek is geannuleerd. Er kan niets meer aan worden veranderd."))


# --- school days --------------------------------------------------------------------------------


def feedback_due_on(conversation: Conversation) -> date:
    return add_school_days(timezone.localtime(conversation.starts_at).date(), FEEDBACK_SCHOOL_DAYS)


# --- who can be invited -------------------------------------------------------------------------


def child_invited_by_default(child: Child, on: date | None = None) -> bool:
    return child.age(on) >= CHILD_INVITED_FROM_AGE


def invitable_people(child: Child, category: str) -> list:
    """Guardians, the class teacher(s) and current circle members who may see this category."""
    User = get_user_model()
    ids = set(child.guardianships.values_list("user_id", flat=True))
    ids |= set(child.circle.current().values_list("user_id", flat=True))
    ids |= consent_member_ids(child)  # outside professionals are in the circle through a consent
    ids |= set(
        Membership.objects.effective()
        .filter(school_id=child.school_id, groups=child.group_id)
        .values_list("user_id", flat=True)
    )
    people = list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email"))
    return [p for p in people if decide(p, Action.VIEW, child, category).allowed]


def creatable_kinds(user, child: Child) -> list[str]:
    """The kinds of conversation this person may plan for this child: those whose category the policy lets
    them add to. The page offers only these, so planning never starts with a refused attempt."""
    kinds = [k.value for k in Kind if decide(user, Action.CREATE, child, KIND_CATEGORY[k]).allowed]
    return sorted(kinds, key=lambda k: k != Kind.PROGRESS)  # the usual one first, when allowed


def _participant_kind(user, child: Child) -> str:
    if child.user_id and user.pk == child.user_id:
        return Participant.Kind.CHILD
    if any(g.user_id == user.pk for g in child.guardianships.all()):
        return Participant.Kind.GUARDIAN
    return Participant.Kind.PROFESSIONAL


# --- planning -----------------------------------------------------------------------------------


def plan_conversation(
    actor: Actor,
    child: Child,
    *,
    kind: str,
    purpose: str,
    starts_at: datetime | None,
    minutes: int = 30,
    place: str = "",
    video_url: str = "",
    participants=(),
    child_invited: bool | None = None,
    child_not_invited_reason: str = "",
    send: bool = True,
    now: datetime | None = None,
    organiser=None,
) -> Conversation:
    """Plan a conversation. The purpose is required because it is shown in the invitation (seed 000);
    the child is invited from age 4 unless a reason is written down."""
    errors: dict = {}
    if kind not in Kind.values:
        errors["kind"] = _("Kies wat voor gesprek het is.")
        kind = Kind.OTHER
    category = KIND_CATEGORY[Kind(kind)]
    authorize(actor, Action.CREATE, child, category, label=_label(kind, child))
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Schrijf op wat het doel van het gesprek is. Dat staat in de uitnodiging.")
    elif len(purpose) > MAX_TEXT:
        errors["purpose"] = _("Houd het doel kort: hoogstens %(n)d tekens.") % {"n": MAX_TEXT}
    now = now or timezone.now()
    if starts_at is None:
        errors["starts_at"] = _("Kies een datum en tijd.")
    elif starts_at <= now:
        errors["starts_at"] = _("Dit tijdstip is al voorbij. Kies een moment in de toekomst.")
    if not minutes or minutes < 5 or minutes > 240:
        errors["minutes"] = _("Een gesprek duurt tussen 5 en 240 minuten.")
    place, video_url = (place or "").strip(), (video_url or "").strip()
    if not place and not video_url:
        errors["place"] = _("Vul een plaats of een videolink in.")
    default_child = child_invited_by_default(child)
    if child_invited is None:
        child_invited = default_child
    reason = (child_not_invited_reason or "").strip()
    if default_child and not child_invited and not reason:
        errors["child_not_invited_reason"] = _(
            "%(name)s wordt vanaf 4 jaar uitgenodigd. Schrijf op waarom %(name)s er deze keer niet bij is."
        ) % {"name": child.first_name}
    organiser = organiser or actor.user
    people = list(participants)
    if organiser.pk != actor.user.pk:
        people.append(organiser)
    refused = [p for p in people if not decide(p, Action.VIEW, child, category).allowed]
    if refused:
        errors["participants"] = _(
            "Deze personen horen niet bij de kring of mogen dit gesprek niet zien (geen toestemming): %(names)s"
        ) % {"names": ", ".join(p.full_name or p.email for p in refused)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            child=child,
            kind=kind,
            purpose=purpose,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            place=place,
            video_url=video_url,
            organiser=organiser,
            child_invited=child_invited,
            child_not_invited_reason="" if child_invited else reason,
            **owner_for_author(organiser, child).as_fields(),  # docs/record-owner.md
        )
        seats = [organiser] + [p for p in people if p.pk != organiser.pk]
        seats = list({u.pk: u for u in seats}.values())
        rows = [
            Participant(
                conversation=conversation, user=u, kind=_participant_kind(u, child), name=u.full_name or u.email
            )
            for u in seats
            if not (child.user_id and u.pk == child.user_id)
        ]
        if child_invited:
            rows.append(
                Participant(
                    conversation=conversation, user=child.user, kind=Participant.Kind.CHILD, name=child.first_name
                )
            )
        Participant.objects.bulk_create(rows)
        if send:
            send_invitations(conversation)
    return conversation


def conversation_url(conversation: Conversation) -> str:
    return reverse("conversations:detail", args=[conversation.pk])


def send_invitations(conversation: Conversation, *, reason: str = "invite") -> int:
    """In-app notification and e-mail with an .ics attachment to everyone invited (idempotent per version)."""
    child = conversation.child
    where = conversation.place or conversation.video_url
    # Kept as message keys: each person reads the invitation in their own language (docs/languages.md).
    text = Text(
        gettext_noop("Uitnodiging: %(kind)s over %(name)s op %(when)s. Doel: %(purpose)s"),
        kind=Kind(conversation.kind).label,
        name=child.first_name,
        when=conversation.starts_at,
        purpose=conversation.purpose,
    )
    if reason == "moved":
        text = Text(gettext_noop("Nieuwe tijd. %(text)s"), text=text)
    body = Lines(
        text,
        Text(gettext_noop("Waar: %(where)s"), where=where),
        Text(gettext_noop("U kunt zich voorbereiden met een paar korte vragen en laten weten of u komt:")),
        f"{settings.SITE_URL}{conversation_url(conversation)}",
    )
    attachment = ("gesprek.ics", ical.calendar_for([conversation]), "text/calendar")
    sent = 0
    for p in conversation.participants.select_related("user"):
        if p.user is None or p.user_id == conversation.organiser_id:
            continue
        note = notify(
            p.user,
            f"conversation-{reason}:{conversation.pk}:{conversation.version}",
            text,
            url=conversation_url(conversation),
            email_subject=Text(
                gettext_noop("Uitnodiging: %(kind)s over %(name)s"),
                kind=Kind(conversation.kind).label,
                name=child.first_name,
            ),
            email_body=body,
            attachments=[attachment],
        )
        sent += note is not None
    return sent


def reschedule(
    actor: Actor,
    conversation: Conversation,
    *,
    starts_at: datetime | None,
    minutes: int,
    place: str = "",
    video_url: str = "",
    expected_version: int | None = None,
) -> Conversation:
    """Move a conversation; everyone invited gets a new invitation with an updated .ics (same UID,
    higher SEQUENCE, so calendars move the appointment instead of adding one)."""
    _require_recorder(actor, conversation)
    if Conversation.objects.filter(pk=conversation.pk, booking__isnull=False).exists():
        raise ValidationError(_("Dit startgesprek hoort bij een geboekte tijd. Annuleer het en kies een nieuwe tijd."))
    errors = {}
    if starts_at is None:
        errors["starts_at"] = _("Kies een datum en tijd.")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("Dit tijdstip is al voorbij. Kies een moment in de toekomst.")
    if not minutes or minutes < 5 or minutes > 240:
        errors["minutes"] = _("Een gesprek duurt tussen 5 en 240 minuten.")
    place, video_url = (place or "").strip(), (video_url or "").strip()
    if not place and not video_url:
        errors["place"] = _("Vul een plaats of een videolink in.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = Conversation.objects.filter(pk=conversation.pk, status=Status.PLANNED)
        if expected_version is not None:
            updated = updated.filter(version=expected_version)
        count = updated.update(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            place=place,
            video_url=video_url,
            version=F("version") + 1,
        )
        if not count:
            raise StaleEdit()
        conversation.refresh_from_db()
        send_invitations(conversation, reason="moved")
    return conversation


# --- languages and interpreters (docs/languages.md) -------------------------------------------------------


def family_languages(conversation_or_child) -> list[dict]:
    """Each guardian's language and whether they want an interpreter, for the school planning a conversation."""
    from apps.accounts.languages import language_of, offered

    child = getattr(conversation_or_child, "child", conversation_or_child)
    names = offered()
    rows = []
    for g in child.guardianships.all():
        code = language_of(g.user)
        rows.append(
            {
                "name": g.user.full_name or g.user.email,
                "language": code,
                "language_name": names[code],
                "interpreter_wanted": g.user.interpreter_wanted,
            }
        )
    return rows


def interpreter_suggested(child) -> str:
    """The language of the first guardian who wants an interpreter, or "" when nobody asked for one."""
    return next((row["language"] for row in family_languages(child) if row["interpreter_wanted"]), "")


def book_interpreter(actor: Actor, conversation: Conversation, *, name: str, language: str, user=None) -> Participant:
    """The organiser (or a professional in the conversation) books an interpreter as a participant. The family is
    told; the day before, the usual reminder goes to whoever has an account, and the organiser is reminded of the
    interpreter (`send_reminders`)."""
    from apps.accounts.languages import offered

    _require_recorder(actor, conversation)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Vul de naam van de tolk of het tolkenbureau in.")
    elif len(name) > 200:
        errors["name"] = _("Houd de naam kort: hoogstens 200 tekens.")
    if language not in offered() or language == settings.LANGUAGE_CODE:
        errors["language"] = _("Kies de taal waarin de tolk vertaalt.")
    if errors:
        raise ValidationError(errors)
    if conversation.participants.filter(kind=Participant.Kind.INTERPRETER, language=language).exists():
        raise ValidationError({"language": _("Voor deze taal is al een tolk geboekt.")})
    seat = Participant.objects.create(
        conversation=conversation, kind=Participant.Kind.INTERPRETER, name=name, language=language, user=user
    )
    for p in conversation.participants.filter(kind=Participant.Kind.GUARDIAN).select_related("user"):
        if p.user is None:
            continue
        notify(
            p.user,
            f"conversation-interpreter:{conversation.pk}:{seat.pk}",
            Text(
                gettext_noop("Er is een tolk geregeld voor het gesprek over %(name)s op %(when)s: %(language)s."),
                name=conversation.child.first_name,
                when=conversation.starts_at,
                language=offered()[language],
            ),
            url=conversation_url(conversation),
        )
    return seat


def view_conversation(actor: Actor, conversation: Conversation) -> Conversation:
    _authorize(actor, Action.VIEW, conversation)
    return conversation


def rsvp(actor: Actor, conversation: Conversation, answer: str) -> Participant:
    _authorize(actor, Action.VIEW, conversation)
    _ensure_open(conversation)
    participant = participant_for(actor.user, conversation)
    if participant is None:
        raise PermissionDenied(_("U bent niet uitgenodigd voor dit gesprek."))
    if answer not in (Participant.Rsvp.YES, Participant.Rsvp.NO, Participant.Rsvp.MAYBE):
        raise ValidationError(_("Kies of u komt, niet komt of het nog niet weet."))
    participant.rsvp, participant.rsvp_at = answer, timezone.now()
    participant.save(update_fields=["rsvp", "rsvp_at"])
    return participant


# --- preparation --------------------------------------------------------------------------------


def child_participant(conversation: Conversation) -> Participant | None:
    return next((p for p in conversation.participants.all() if p.kind == Participant.Kind.CHILD), None)


def save_preparation(
    actor: Actor, conversation: Conversation, participant: Participant, answers: dict, *, mood: str = "", shared=True
) -> Preparation:
    """Store a participant's answers. Only the questions of that participant's form are kept."""
    _authorize(actor, Action.CREATE, conversation)
    _ensure_open(conversation)
    if participant.conversation_id != conversation.pk:
        raise ValidationError(_("Deze voorbereiding hoort bij een ander gesprek."))
    if participant.kind == Participant.Kind.CHILD:
        if not may_fill_in_for_child(actor.user, conversation):
            raise PermissionDenied(_("Alleen het kind zelf (of samen met een ouder of de leerkracht) vult dit in."))
    elif participant.user_id != actor.user.pk:
        raise PermissionDenied(_("U kunt alleen uw eigen voorbereiding invullen."))
    if conversation.starts_at <= timezone.now() and conversation.status != Status.PLANNED:
        raise ValidationError(_("Het gesprek is al geweest."))
    clean = {}
    for code, _question in questions_for(participant):
        value = (answers.get(code) or "").strip()
        if len(value) > MAX_TEXT:
            raise ValidationError({code: _("Houd het kort: hoogstens %(n)d tekens.") % {"n": MAX_TEXT}})
        clean[code] = value
    if mood and mood not in {m[0] for m in MOODS}:
        mood = ""
    if not any(clean.values()) and not mood:
        raise ValidationError(_("Vul minstens één vraag in."))
    # Only the child decides on sharing; other participants' answers are always shared.
    shared = bool(shared) if participant.kind == Participant.Kind.CHILD else True
    prep, _created = Preparation.objects.update_or_create(
        participant=participant,
        defaults={
            "conversation": conversation,
            "answers": clean,
            "mood": mood,
            "shared": shared,
            "filled_in_by": actor.user,
            "updated_at": timezone.now(),
        },
    )
    return prep


def visible_preparations(user, conversation: Conversation) -> list[Preparation]:
    """Answers the participants see before the meeting. An unshared child answer is only seen by the
    child and whoever filled it in with the child."""
    rows = list(conversation.preparations.select_related("participant", "filled_in_by"))
    return [
        p
        for p in rows
        if p.shared or p.filled_in_by_id == user.pk or (p.participant.user_id and p.participant.user_id == user.pk)
    ]


# --- during and after ---------------------------------------------------------------------------


def _require_recorder(actor: Actor, conversation: Conversation):
    _authorize(actor, Action.CHANGE, conversation)
    _ensure_open(conversation)
    if not may_record(actor.user, conversation):
        raise PermissionDenied(_("Alleen de organisator of een professional in het gesprek legt dit vast."))


def record_meeting(
    actor: Actor,
    conversation: Conversation,
    *,
    notes="",
    went_well="",
    concerns="",
    expected_version: int | None = None,
) -> Conversation:
    _require_recorder(actor, conversation)
    updated = Conversation.objects.filter(pk=conversation.pk)
    if expected_version is not None:
        updated = updated.filter(version=expected_version)
    count = updated.update(
        notes=(notes or "").strip(),
        went_well=(went_well or "").strip(),
        concerns=(concerns or "").strip(),
        status=Status.HELD,
        version=F("version") + 1,
    )
    if not count:
        raise StaleEdit()
    conversation.refresh_from_db()
    return conversation


def add_outcome(actor: Actor, conversation: Conversation, *, what: str, owner, due) -> Outcome:
    """An outcome becomes an agreement in the child's plan in one step (plans.add_agreement validates)."""
    from apps.plans.services import add_agreement

    _require_recorder(actor, conversation)
    with transaction.atomic():
        agreement = add_agreement(actor, conversation.child, what=what, owner=owner, due=due)
        return Outcome.objects.create(conversation=conversation, agreement=agreement, created_by=actor.user)


def send_feedback(actor: Actor, conversation: Conversation, text: str) -> int:
    """Send the terugkoppeling to every participant with an account (once per conversation)."""
    _require_recorder(actor, conversation)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"feedback": _("Schrijf de terugkoppeling: wat is besproken en wat is afgesproken.")})
    if conversation.starts_at > timezone.now():
        raise ValidationError(_("Terugkoppeling kan pas na het gesprek."))
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(
            feedback=text, feedback_sent_at=timezone.now(), status=Status.HELD, version=F("version") + 1
        )
        menu_counts.forget_child(conversation.child_id)  # the child page's "next conversation"
        conversation.refresh_from_db()
        outcomes = list(conversation.outcomes.select_related("agreement__owner"))
        lines = [text]
        if outcomes:
            lines.append(_("Afspraken:"))
            lines += [
                f"- {o.agreement.what} ({o.agreement.owner.full_name}, {o.agreement.due:%d-%m-%Y})" for o in outcomes
            ]
        body = "\n".join(lines) + f"\n\n{settings.SITE_URL}{conversation_url(conversation)}"
        sent = 0
        for p in conversation.participants.select_related("user"):
            if p.user is None or p.user_id == actor.user.pk:
                continue
            note = notify(
                p.user,
                f"conversation-feedback:{conversation.pk}",
                _("Terugkoppeling van het gesprek over %(name)s: %(text)s")
                % {"name": conversation.child.first_name, "text": text},
                url=conversation_url(conversation),
                email_subject=_("Terugkoppeling: %(kind)s over %(name)s")
                % {"kind": conversation.get_kind_display(), "name": conversation.child.first_name},
                email_body=body,
            )
            sent += note is not None
    add_to_timeline(actor, conversation)
    return sent


def feedback_overdue_before(today: date) -> datetime:
    """Conversations that started before this moment are past their feedback day on `today`
    (`feedback_due_on(c) < today`), so the rule runs as one query. The due day only moves forward
    with the start day, so the latest start day that is overdue is found by stepping back."""
    day = today - timedelta(days=1)
    while add_school_days(day, FEEDBACK_SCHOOL_DAYS) >= today:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))


def feedback_overdue_query(user, today: date | None = None):
    """The organiser's conversations held more than 5 school days ago without feedback, as a queryset."""
    today = today or timezone.localdate()
    return (
        Conversation.objects.filter(organiser=user, feedback_sent_at__isnull=True, starts_at__lt=timezone.now())
        .filter(starts_at__lt=feedback_overdue_before(today))
        .exclude(status=Status.CANCELLED)
    )


def add_to_timeline(actor: Actor, conversation: Conversation):
    """Put a held conversation on the child's timeline once: its date, kind and purpose, written by the
    organiser, in the conversation's category (so only who may see that category sees it). Sending
    the feedback again adds nothing. The timeline's own service checks and logs the write; when
    neither the sender nor the organiser may write that category, the line is left out rather than
    blocking the feedback."""
    from django.utils.text import capfirst

    from apps.timeline.models import Kind as TimelineKind
    from apps.timeline.services import add_entry

    child, category = conversation.child, conversation.category
    writer = actor
    if not decide(actor.user, Action.CREATE, child, category).allowed:
        writer = Actor(user=conversation.organiser, channel="job")
        if not decide(writer.user, Action.CREATE, child, category).allowed:
            return None
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.timeline_entry_id:
            return None
        text = f"{capfirst(str(Kind(locked.kind).label))}: {locked.purpose}"
        entry = add_entry(
            writer,
            child,
            author=locked.organiser,
            kind=TimelineKind.CONVERSATION,
            happened_on=timezone.localtime(locked.starts_at).date(),
            text=text[:500],
            category=category,
        )
        Conversation.objects.filter(pk=locked.pk).update(timeline_entry=entry)
    conversation.timeline_entry = entry
    return entry


def feedback_overdue(user, today: date | None = None):
    """The organiser's conversations that were held more than 5 school days ago without feedback, about
    children the organiser may still see."""
    return list(feedback_overdue_query(user, today).filter(visible_filter(user)).select_related("child"))


def visible_filter(user, prefix: str = "") -> Q:
    """Conversations whose child and category (which follows from the kind) this user may still see,
    as one condition (the policy's rule); `prefix` is the path to the conversation (e.g. "conversation__")."""
    return visible_q_by_category(user, KIND_CATEGORY, f"{prefix}kind", f"{prefix}child", owner=prefix)


def log_shown(actor: Actor, conversations, label) -> None:
    """Log the children of a list or feed of conversations, each under its conversation's category."""
    log_items(actor, [(c.child, c.category) for c in conversations], label)


def feedback_overdue_count(user, today: date | None = None) -> int:
    """`feedback_overdue`, counting only conversations about children the organiser may still see."""
    return feedback_overdue_query(user, today).filter(visible_filter(user)).count()


def waiting_for_me_counts(user, now: datetime | None = None) -> dict[str, int]:
    """For upcoming planned conversations I was invited to (not the ones I organise) and may still see:
    how many I have not answered yet (a time I booked myself in the planner is an answer), and how many
    preparation forms I have not filled in."""
    now = now or timezone.now()
    return (
        Participant.objects.filter(user=user, conversation__status=Status.PLANNED, conversation__starts_at__gt=now)
        .exclude(conversation__organiser=user)
        .filter(visible_filter(user, "conversation__"))
        .aggregate(
            # Choosing the time yourself in the planner is your answer.
            unanswered=Count("pk", filter=Q(rsvp=Participant.Rsvp.PENDING) & ~Q(conversation__booking__booked_by=user)),
            unprepared=Count("pk", filter=Q(preparation__isnull=True)),
        )
    )


def cancel(actor: Actor, conversation: Conversation, reason: str) -> Conversation:
    """Cancel: everyone invited is told, a booked planner slot is freed; nothing is deleted."""
    _authorize(actor, Action.CHANGE, conversation)
    if conversation.is_cancelled:
        raise ValidationError(_("Dit gesprek was al geannuleerd."))
    if not may_cancel(actor.user, conversation):
        raise PermissionDenied(_("Alleen de organisator kan dit gesprek annuleren."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf kort op waarom het gesprek niet doorgaat.")})
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(
            status=Status.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason[:300], version=F("version") + 1
        )
        menu_counts.forget_child(conversation.child_id)
        conversation.refresh_from_db()
        from apps.planner.services import release_booking_of

        release_booking_of(conversation)
        start = timezone.localtime(conversation.starts_at)
        for p in conversation.participants.select_related("user"):
            if p.user is None or p.user_id == actor.user.pk:
                continue
            notify(
                p.user,
                f"conversation-cancelled:{conversation.pk}",
                _("Het gesprek over %(name)s op %(when)s gaat niet door. Reden: %(reason)s")
                % {"name": conversation.child.first_name, "when": start.strftime("%d-%m-%Y %H:%M"), "reason": reason},
                url=conversation_url(conversation),
                email_subject=_("Gesprek gaat niet door"),
            )
    return conversation


def conversations_for(user):
    """Conversations the user organises or takes part in, or that concern the user's own children, and
    whose child and category the policy lets the user see today (a consent that ended hides them)."""
    mine = Q(organiser=user) | Q(participants__user=user) | Q(child__guardianships__user=user) | Q(child__user=user)
    return (
        Conversation.objects.filter(pk__in=Conversation.objects.filter(mine).values("pk"))
        .filter(visible_filter(user))
        .select_related("child", "organiser")
    )


SCHEDULE_DAYS_BACK = 60


def schedule_for(user, now: datetime | None = None) -> list[Conversation]:
    """The calendar feed: conversations the user is invited to, from 60 days ago, that the policy still
    lets the user see."""
    since = (now or timezone.now()) - timedelta(days=SCHEDULE_DAYS_BACK)
    return list(
        Conversation.objects.filter(
            pk__in=Conversation.objects.filter(participants__user=user, starts_at__gte=since).values("pk")
        )
        .filter(visible_filter(user))
        .select_related("child")
        .order_by("starts_at", "pk")
    )


# --- jobs (safe to run repeatedly: every notification has a key) -------------------------------


def send_reminders(today: date | None = None) -> int:
    """Day-before reminder to everyone invited. Planner bookings have their own reminder (planner app)."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    sent = 0
    upcoming = (
        Conversation.objects.filter(
            status=Status.PLANNED, starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
        )
        .filter(booking__isnull=True)
        .select_related("child")
        .prefetch_related("participants__user")
    )
    for c in upcoming:
        for p in c.participants.all():
            if p.kind == Participant.Kind.INTERPRETER and p.user is None:
                sent += _remind_organiser_of_interpreter(c, p, tomorrow)
            if p.user is None:
                continue
            note = notify(
                p.user,
                f"conversation-reminder:{c.pk}:{tomorrow.isoformat()}",
                Text(
                    gettext_noop("Morgen om %(time)s: %(kind)s over %(name)s. Doel: %(purpose)s"),
                    time=timezone.localtime(c.starts_at).strftime("%H:%M"),
                    kind=Kind(c.kind).label,
                    name=c.child.first_name,
                    purpose=c.purpose,
                ),
                url=conversation_url(c),
                email_subject=Text(gettext_noop("Herinnering: morgen een gesprek")),
            )
            sent += note is not None
    return sent


def _remind_organiser_of_interpreter(c: Conversation, p: Participant, tomorrow: date) -> int:
    """An interpreter without an account gets no reminder from us: the organiser is reminded to confirm."""
    from apps.accounts.languages import offered

    note = notify(
        c.organiser,
        f"conversation-interpreter-reminder:{c.pk}:{p.pk}:{tomorrow.isoformat()}",
        Text(
            gettext_noop("Morgen om %(time)s komt tolk %(interpreter)s (%(language)s) bij het gesprek over %(name)s."),
            time=timezone.localtime(c.starts_at).strftime("%H:%M"),
            interpreter=p.name,
            language=offered().get(p.language, p.language),
            name=c.child.first_name,
        ),
        url=conversation_url(c),
        email_subject=Text(gettext_noop("Herinnering: morgen een tolk bij een gesprek")),
    )
    return note is not None


def remind_overdue_feedback(today: date | None = None) -> int:
    """Tell organisers once when a conversation has gone 5 school days without feedback."""
    today = today or timezone.localdate()
    candidates = (
        Conversation.objects.filter(feedback_sent_at__isnull=True, starts_at__lt=timezone.now())
        .exclude(status=Status.CANCELLED)
        .select_related("child", "organiser")
    )
    sent = 0
    for c in candidates:
        if feedback_due_on(c) >= today:
            continue
        note = notify(
            c.organiser,
            f"conversation-feedback-overdue:{c.pk}",
            _("Het gesprek over %(name)s van %(day)s heeft nog geen terugkoppeling.")
            % {"name": c.child.first_name, "day": timezone.localtime(c.starts_at).strftime("%d-%m-%Y")},
            url=conversation_url(c),
        )
        sent += note is not None
    return sent
