"""Rules of the start-of-year planner. `book_slot` is the heart: it never lets two bookings share a slot.

Double booking is impossible in three layers: the slot row is locked (`select_for_update`, PostgreSQL),
the booking is re-checked inside that transaction, and a partial unique constraint on the active booking
per slot rejects whatever slips through (SQLite serialises writers; the constraint catches the rest).
A booking creates the start-of-year conversation, so invitations, preparation and feedback follow.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.access.policy import Action, authorize, decide, log_list
from apps.audit.log import Actor
from apps.circles.models import Child, Guardianship
from apps.consent.models import Category
from apps.conversations.labels import log_label
from apps.conversations.models import Kind
from apps.core.extensions import visible_child_ids
from apps.notifications.texts import Text

from .models import Booking, Round, Slot, WaitlistEntry, Window
from .permissions import may_organise

CATEGORY = Category.DEVELOPMENT  # a start-of-year conversation is about the child's development at school
MAX_SLOTS_PER_WINDOW = 200


def _fmt(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%d-%m-%Y %H:%M")


# --- opening a round ----------------------------------------------------------------------------


def open_round(
    user,
    group,
    *,
    purpose: str,
    windows: list[tuple[datetime, datetime]],
    slot_minutes: int = 15,
    place: str = "",
    book_until: datetime | None = None,
    now: datetime | None = None,
) -> Round:
    """Open a round for a class: the windows (evenings) are cut into slots of `slot_minutes`."""
    if not may_organise(user, group):
        raise ValidationError(_("U kunt alleen gesprekken plannen voor een groep van uw eigen school."))
    now = now or timezone.now()
    errors: dict = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Schrijf op wat het doel van de gesprekken is. Dat staat in de uitnodiging.")
    if not slot_minutes or not 5 <= slot_minutes <= 120:
        errors["slot_minutes"] = _("Een gesprek duurt tussen 5 en 120 minuten.")
    clean_windows = sorted((w for w in windows if w and w[0] and w[1]), key=lambda w: w[0])
    if not clean_windows:
        errors["windows"] = _("Kies minstens één avond met een begin- en eindtijd.")
    for start, end in clean_windows:
        if end <= start:
            errors["windows"] = _("De eindtijd moet na de begintijd liggen.")
        elif start <= now:
            errors["windows"] = _("Een avond ligt in het verleden. Kies een datum in de toekomst.")
        elif slot_minutes and (end - start) < timedelta(minutes=slot_minutes):
            errors["windows"] = _("Een avond is korter dan één gesprek.")
    for (_s1, e1), (s2, _e2) in zip(clean_windows, clean_windows[1:], strict=False):
        if s2 < e1:
            errors["windows"] = _("Twee avonden overlappen elkaar.")
    if book_until and clean_windows and book_until > clean_windows[0][0]:
        errors["book_until"] = _("Inschrijven moet sluiten voordat de eerste avond begint.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rnd = Round.objects.create(
            group=group,
            teacher=user,
            purpose=purpose,
            slot_minutes=slot_minutes,
            place=place.strip(),
            book_until=book_until,
        )
        Window.objects.bulk_create([Window(round=rnd, starts_at=s, ends_at=e) for s, e in clean_windows])
        generate_slots(rnd)
    return rnd


def generate_slots(rnd: Round) -> int:
    """Cut each window into slots; whatever does not fit a whole slot at the end is left out."""
    step = timedelta(minutes=rnd.slot_minutes)
    slots = []
    for window in rnd.windows.all():
        at = window.starts_at
        while at + step <= window.ends_at and len(slots) < MAX_SLOTS_PER_WINDOW * 10:
            slots.append(Slot(round=rnd, starts_at=at, ends_at=at + step))
            at += step
    Slot.objects.bulk_create(slots, ignore_conflicts=True)
    return len(slots)


def rounds_for_child(child: Child):
    return Round.objects.filter(group_id=child.group_id, cancelled_at__isnull=True).order_by("-created_at")


def newest_rounds_for_children(child_ids) -> dict:
    """Group id → the newest round that is not cancelled, for the classes of these children: one query."""
    groups = Child.objects.filter(pk__in=list(child_ids)).values("group_id")
    newest = {}
    for rnd in Round.objects.filter(group_id__in=groups, cancelled_at__isnull=True).order_by("-created_at"):
        newest.setdefault(rnd.group_id, rnd)
    return newest


# --- booking ------------------------------------------------------------------------------------


def _active_bookings():
    return Booking.objects.filter(cancelled_at__isnull=True)


def free_slots(rnd: Round, now: datetime | None = None):
    """Slots that can still be booked, in time order, with one query."""
    now = now or timezone.now()
    taken = _active_bookings().filter(slot=OuterRef("pk"))
    return rnd.slots.filter(cancelled_at__isnull=True, starts_at__gt=now).exclude(Exists(taken)).order_by("starts_at")


def _check_bookable(rnd: Round, slot: Slot, child: Child, now: datetime, *, deadline: bool = True):
    if rnd.cancelled_at:
        raise ValidationError(_("Deze gespreksronde is geannuleerd. Inschrijven kan niet meer."))
    if child.group_id != rnd.group_id:
        raise ValidationError(
            _("Deze tijden zijn voor een andere groep dan die van %(name)s.") % {"name": child.first_name}
        )
    if slot.cancelled_at:
        raise ValidationError(_("Dit tijdstip is door de leerkracht geschrapt. Kies een ander tijdstip."))
    if deadline and rnd.book_until and now > rnd.book_until:
        raise ValidationError(
            _("Inschrijven kon tot %(when)s. Neem contact op met de leerkracht.") % {"when": _fmt(rnd.book_until)}
        )
    if slot.starts_at <= now:
        raise ValidationError(_("Dit tijdstip is al voorbij. Kies een ander tijdstip."))


def book_slot(
    actor: Actor,
    slot: Slot,
    child: Child,
    *,
    together: bool = True,
    now: datetime | None = None,
    on_behalf: bool = False,
) -> Booking:
    """Book `slot` for `child`. Raises ValidationError with a Dutch message when it cannot be booked;
    then nothing has changed. With `on_behalf` the class's teacher books for the whole family (see
    `book_for_family`)."""
    if "guardianships" not in getattr(child, "_prefetched_objects_cache", {}):
        prefetch_related_objects([child], "guardianships")  # the policy reads them several times
    authorize(
        actor,
        Action.CREATE,
        child,
        CATEGORY,
        obj=slot,
        label=log_label(gettext_lazy("een startgesprek voor %(name)s"), name=child.first_name),
    )
    now = now or timezone.now()
    user = actor.user
    rnd = slot.round
    if on_behalf and not may_organise(user, rnd.group):
        raise ValidationError(_("Alleen de leerkracht of de IB'er van de groep kan namens een familie boeken."))
    # The sign-up deadline is for families; the teacher who set it may still book after a phone call.
    _check_bookable(rnd, slot, child, now, deadline=not on_behalf)
    taken_message = _("Dit tijdstip is net door iemand anders gekozen. Kies een ander tijdstip.")
    try:
        with transaction.atomic():
            # Lock order is always child, then slot: two guardians of one child are serialised (so two
            # "together" bookings cannot both succeed), and two families on one slot are serialised.
            list(Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True))
            if on_behalf:
                together = _check_no_booking_yet(rnd, child)
            else:
                together = _check_other_bookings(rnd, child, user, together)
            locked = Slot.objects.select_for_update().get(pk=slot.pk)
            if locked.cancelled_at:
                raise ValidationError(_("Dit tijdstip is door de leerkracht geschrapt. Kies een ander tijdstip."))
            if _active_bookings().filter(slot=locked).exists():
                raise ValidationError(taken_message)
            booking = Booking.objects.create(slot=locked, round=rnd, child=child, booked_by=user, together=together)
            booking.conversation = _conversation_for(actor, booking, child)
            booking.save(update_fields=["conversation"])
            WaitlistEntry.objects.filter(round=rnd, child=child, resolved_at__isnull=True).update(resolved_at=now)
            if on_behalf:  # in the same transaction: a booking nobody in the family was told about is not kept
                _tell_guardians_booked_for_them(booking, child)
    except IntegrityError as e:
        raise ValidationError(taken_message) from e
    return booking


def book_for_family(actor: Actor, slot: Slot, child: Child, *, now: datetime | None = None) -> Booking:
    """The teacher books a slot for a family (e.g. after a phone call): the same locks and checks as
    a guardian's booking, recorded as booked by the teacher, for both guardians together, and every
    guardian is told by notification who booked it and when."""
    return book_slot(actor, slot, child, together=True, now=now, on_behalf=True)


def _check_no_booking_yet(rnd: Round, child: Child) -> bool:
    """A booking on behalf of the family is for all guardians: refused when anyone already booked."""
    existing = _active_bookings().filter(round=rnd, child=child).select_related("slot", "booked_by").first()
    if existing:
        raise ValidationError(
            _("Er is al een gesprek voor %(name)s op %(when)s, geboekt door %(who)s.")
            % {"name": child.first_name, "when": _fmt(existing.slot.starts_at), "who": existing.booked_by.full_name}
        )
    return True


def _tell_guardians_booked_for_them(booking: Booking, child: Child) -> int:
    from apps.notifications.services import notify

    url = reverse("conversations:detail", args=[booking.conversation_id]) if booking.conversation_id else ""
    # Each guardian reads it in their own language (apps/notifications/texts.py, docs/languages.md).
    text = Text(
        gettext_noop(
            "%(teacher)s heeft het startgesprek van %(name)s voor u geboekt op %(when)s. "
            "Past het niet? Neem contact op met de school."
        ),
        teacher=booking.booked_by.full_name,
        name=child.first_name,
        when=booking.slot.starts_at,
    )
    sent = 0
    # Parents without gezag are told nothing automatically (BW 1:377c, docs/guardians-and-gezag.md).
    for g in child.guardianships.filter(information_mode="full").select_related("user"):
        note = notify(
            g.user,
            f"planner-booked-for-family:{booking.pk}",
            text,
            url=url,
            email_subject=Text(gettext_noop("Startgesprek voor %(name)s geboekt"), name=child.first_name),
            email_body=text,
        )
        sent += note is not None
    return sent


def _check_other_bookings(rnd: Round, child: Child, user, together: bool) -> bool:
    """One booking per guardian per child; a joint booking covers both guardians. Returns `together`."""
    existing = list(_active_bookings().filter(round=rnd, child=child).select_related("slot", "booked_by"))
    mine = next((b for b in existing if b.booked_by_id == user.pk), None)
    if mine:
        raise ValidationError(
            _("U heeft al een gesprek voor %(name)s op %(when)s. Annuleer dat eerst als u wilt wisselen.")
            % {"name": child.first_name, "when": _fmt(mine.slot.starts_at)}
        )
    joint = next((b for b in existing if b.together), None)
    if joint:
        raise ValidationError(
            _(
                "%(who)s heeft al een gezamenlijk gesprek voor %(name)s geboekt op %(when)s; "
                "u bent daarvoor ook uitgenodigd."
            )
            % {"who": joint.booked_by.full_name, "name": child.first_name, "when": _fmt(joint.slot.starts_at)}
        )
    return together and not existing  # the other guardian already chose to come separately


def book_at(actor: Actor, rnd: Round, child: Child, starts_at: datetime, **kwargs) -> Booking:
    """Book by time (API): a time that is not one of the round's slots is outside the window."""
    slot = rnd.slots.filter(starts_at=starts_at).first()
    if slot is None:
        windows = ", ".join(f"{_fmt(w.starts_at)}–{timezone.localtime(w.ends_at):%H:%M}" for w in rnd.windows.all())
        raise ValidationError(
            _("Dit tijdstip valt buiten de gesprekstijden van deze groep (%(windows)s). Kies een van de open tijden.")
            % {"windows": windows}
        )
    return book_slot(actor, slot, child, **kwargs)


def _conversation_for(actor: Actor, booking: Booking, child: Child):
    """The start-of-year conversation behind a booking: teacher, guardian(s) and the child (from 4)."""
    from apps.conversations.services import plan_conversation

    rnd = booking.round
    if booking.together:
        # A parent without gezag is not invited automatically (BW 1:377c, docs/guardians-and-gezag.md).
        guardians = [g.user for g in child.guardianships.filter(information_mode="full").select_related("user")]
    else:
        guardians = [booking.booked_by]
    return plan_conversation(
        actor,
        child,
        organiser=rnd.teacher,
        kind=Kind.START,
        purpose=rnd.purpose,
        starts_at=booking.slot.starts_at,
        minutes=rnd.slot_minutes,
        place=rnd.place or str(rnd.group.school),
        participants=guardians,
        child_invited=None,
        child_not_invited_reason=_("jonger dan 4 jaar"),
        now=min(timezone.now(), booking.slot.starts_at - timedelta(seconds=1)),
    )


def cancel_booking(actor: Actor, booking: Booking, reason: str = "") -> Booking:
    """Cancel a booking through its conversation (so everyone invited is told) and free the slot."""
    from apps.conversations import services as conversations

    if booking.cancelled_at:
        raise ValidationError(_("Deze afspraak was al geannuleerd."))
    if booking.conversation_id and not booking.conversation.is_cancelled:
        conversations.cancel(actor, booking.conversation, reason or _("De afspraak is geannuleerd."))
    else:
        authorize(actor, Action.CHANGE, booking.child, CATEGORY, obj=booking, label=gettext_lazy("een startgesprek"))
        release_booking(booking)
    booking.refresh_from_db()
    return booking


def release_booking_of(conversation) -> None:
    """Called when a conversation is cancelled: free its planner slot, if it had one."""
    booking = (
        Booking.objects.filter(conversation=conversation, cancelled_at__isnull=True).select_related("slot").first()
    )
    if booking:
        release_booking(booking)


def release_booking(booking: Booking) -> None:
    """Free the slot and tell the waiting list, as one step (REL-04)."""
    with transaction.atomic():
        _release_booking(booking)


def _release_booking(booking: Booking) -> None:
    Booking.objects.filter(pk=booking.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
    offer_to_waitlist(booking.round, booking.slot)


def offer_to_waitlist(rnd: Round, slot: Slot) -> int:
    """Tell everyone waiting that a slot came free (first come, first served through book_slot)."""
    from apps.notifications.services import notify

    sent = 0
    for entry in rnd.waitlist.filter(resolved_at__isnull=True).select_related("child", "user"):
        note = notify(
            entry.user,
            f"planner-freed:{entry.pk}:{slot.pk}",
            Text(
                gettext_noop("Er is een tijdstip vrijgekomen voor het startgesprek van %(name)s: %(when)s."),
                name=entry.child.first_name,
                when=slot.starts_at,
            ),
            url=reverse("planner:book", args=[rnd.pk, entry.child_id]),
            email_subject=Text(gettext_noop("Er is een tijdstip vrijgekomen")),
        )
        sent += note is not None
    return sent


def join_waitlist(actor: Actor, rnd: Round, child: Child) -> WaitlistEntry:
    authorize(actor, Action.CREATE, child, CATEGORY, obj=rnd, label=gettext_lazy("de wachtlijst voor het startgesprek"))
    if rnd.cancelled_at:
        raise ValidationError(_("Deze gespreksronde is geannuleerd. Inschrijven kan niet meer."))
    if child.group_id != rnd.group_id:
        raise ValidationError(
            _("Deze tijden zijn voor een andere groep dan die van %(name)s.") % {"name": child.first_name}
        )
    if free_slots(rnd).exists():
        raise ValidationError(_("Er zijn nog vrije tijden. Kies een tijdstip."))
    if _active_bookings().filter(round=rnd, child=child, booked_by=actor.user).exists():
        raise ValidationError(_("U heeft al een gesprek geboekt."))
    entry, _created = WaitlistEntry.objects.get_or_create(round=rnd, child=child, user=actor.user, resolved_at=None)
    return entry


def cancel_round(user, rnd: Round, reason: str) -> int:
    """Cancel the whole round: every booked conversation is cancelled (invitees told), slots freed."""
    from apps.conversations import services as conversations

    if not may_organise(user, rnd.group):
        raise ValidationError(_("U kunt deze gespreksronde niet annuleren."))
    if rnd.cancelled_at:
        raise ValidationError(_("Deze gespreksronde was al geannuleerd."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf kort op waarom de gesprekken niet doorgaan.")})
    count = 0
    with transaction.atomic():
        Round.objects.filter(pk=rnd.pk).update(cancelled_at=timezone.now())
        rnd.refresh_from_db()
        actor = Actor(user=user, channel="web")
        for booking in _active_bookings().filter(round=rnd).select_related("conversation__child", "slot", "child"):
            if booking.conversation and not booking.conversation.is_cancelled:
                conversations.cancel(actor, booking.conversation, reason)
            Booking.objects.filter(pk=booking.pk).update(cancelled_at=timezone.now())
            count += 1
        WaitlistEntry.objects.filter(round=rnd, resolved_at__isnull=True).update(resolved_at=timezone.now())
    return count


def remove_slot(user, slot: Slot, reason: str = "") -> Slot:
    """The teacher takes one time out. A booking on it is cancelled through its conversation (the
    family is told) and the slot is kept, marked removed, so nothing is lost."""
    from apps.conversations import services as conversations

    if not may_organise(user, slot.round.group):
        raise ValidationError(_("U kunt deze tijd niet schrappen."))
    if slot.cancelled_at:
        raise ValidationError(_("Deze tijd was al geschrapt."))
    with transaction.atomic():
        locked = Slot.objects.select_for_update().get(pk=slot.pk)
        Slot.objects.filter(pk=locked.pk).update(cancelled_at=timezone.now())
        for booking in _active_bookings().filter(slot=locked).select_related("conversation", "child"):
            if booking.conversation and not booking.conversation.is_cancelled:
                conversations.cancel(
                    Actor(user=user), booking.conversation, reason or _("De leerkracht kan op dit tijdstip niet.")
                )
            Booking.objects.filter(pk=booking.pk).update(cancelled_at=timezone.now())
    slot.refresh_from_db()
    return slot


# --- siblings -----------------------------------------------------------------------------------


def sibling_bookings(user, child: Child) -> list[Booking]:
    """The user's active bookings for the child's brothers and sisters (other classes, same school)."""
    return list(
        _active_bookings()
        .filter(booked_by=user, round__group__school_id=child.school_id)
        .exclude(child=child)
        .select_related("slot", "child")
    )


def siblings_to_book(user, child: Child) -> list[tuple[Child, Round]]:
    """The user's other children with an open round and no booking yet: offered right after a booking
    so brothers and sisters can be booked back to back."""
    others = list(
        Child.objects.filter(guardianships__user=user, school_id=child.school_id).exclude(pk=child.pk).distinct()
    )
    rounds = {
        r.group_id: r
        for r in Round.objects.filter(group_id__in=[c.group_id for c in others], cancelled_at__isnull=True).order_by(
            "created_at"
        )
    }
    booked = set(
        _active_bookings()
        .filter(booked_by=user, child__in=others, round__in=rounds.values())
        .values_list("child_id", flat=True)
    )
    return [(c, rounds[c.group_id]) for c in others if c.group_id in rounds and c.pk not in booked]


def open_rounds_for_groups(group_ids, now: datetime | None = None):
    """Rounds guardians can still book in: not cancelled, before the booking deadline, a future slot left."""
    now = now or timezone.now()
    future = Slot.objects.filter(round=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gt=now)
    return (
        Round.objects.filter(group_id__in=group_ids, cancelled_at__isnull=True)
        .filter(Q(book_until__isnull=True) | Q(book_until__gt=now))
        .filter(Exists(future))
    )


def children_awaiting_booking(user, now: datetime | None = None) -> list[tuple[Child, Round]]:
    """My children (that I may book for, per the policy) with an open round and no booking that covers me:
    neither one of my own nor a joint one by the other guardian (`_check_other_bookings`). Constant queries."""
    children = list(
        Child.objects.filter(guardianships__user=user, pk__in=visible_child_ids(user, CATEGORY))
        .distinct()
        .prefetch_related("guardianships")
        .order_by("first_name")
    )
    children = [c for c in children if decide(user, Action.CREATE, c, CATEGORY).allowed]
    rounds = {r.group_id: r for r in open_rounds_for_groups([c.group_id for c in children], now).order_by("created_at")}
    covered = set(
        _active_bookings()
        .filter(round__in=rounds.values(), child__in=children)
        .filter(Q(booked_by=user) | Q(together=True))
        .values_list("round_id", "child_id")
    )
    return [
        (c, rounds[c.group_id])
        for c in children
        if c.group_id in rounds and (rounds[c.group_id].pk, c.pk) not in covered
    ]


@dataclass
class SlotChoice:
    slot: Slot
    next_to: Child | None = None  # adjacent to a sibling's conversation
    before: bool = False


def slot_choices(user, child: Child, rnd: Round, now: datetime | None = None) -> list[SlotChoice]:
    """Free slots, those right before or after a sibling's conversation first (siblings kept adjacent)."""
    siblings = sibling_bookings(user, child)
    choices = []
    for slot in free_slots(rnd, now):
        choice = SlotChoice(slot)
        for b in siblings:
            if slot.starts_at == b.slot.ends_at:
                choice.next_to = b.child
            elif slot.ends_at == b.slot.starts_at:
                choice.next_to, choice.before = b.child, True
        choices.append(choice)
    if siblings:
        anchors = [b.slot.starts_at for b in siblings]

        def distance(c: SlotChoice):
            return (
                c.next_to is None,
                min(abs((c.slot.starts_at - a).total_seconds()) for a in anchors),
                c.slot.starts_at,
            )

        choices.sort(key=distance)
    return choices


def book_adjacent(actor: Actor, child: Child, rnd: Round, **kwargs) -> Booking:
    """Book the free slot right next to a sibling's conversation; fall back to the nearest free one."""
    choices = slot_choices(actor.user, child, rnd)
    if not choices:
        raise ValidationError(_("Alle tijden zijn bezet. U kunt zich op de wachtlijst zetten."))
    return book_slot(actor, choices[0].slot, child, **kwargs)


# --- teacher's overview, nudges and reminders ---------------------------------------------------


@dataclass
class PupilRow:
    child: Child
    bookings: list
    waiting: bool


def overview(user, rnd: Round) -> list[PupilRow]:
    """Every pupil of the class with their booking(s); logged as a list read. Constant in queries."""
    children = list(
        Child.objects.filter(group_id=rnd.group_id)
        .prefetch_related(
            Prefetch(
                "planner_bookings",
                queryset=_active_bookings().filter(round=rnd).select_related("slot", "booked_by"),
                to_attr="round_bookings",
            ),
            "guardianships",
        )
        .order_by("last_name", "first_name")
    )
    log_list(Actor(user=user, channel="web"), children, label=gettext_lazy("de inschrijvingen voor de startgesprekken"))
    waiting = set(rnd.waitlist.filter(resolved_at__isnull=True).values_list("child_id", flat=True))
    return [PupilRow(c, c.round_bookings, c.pk in waiting) for c in children]


def nudge(user, rnd: Round, today: date | None = None) -> int:
    """Remind the guardians of pupils without a booking (at most once a day per pupil)."""
    from apps.notifications.services import notify

    if not may_organise(user, rnd.group):
        raise ValidationError(_("U kunt voor deze groep geen herinnering sturen."))
    if rnd.cancelled_at:
        raise ValidationError(_("Deze gespreksronde is geannuleerd."))
    today = today or timezone.localdate()
    booked = set(_active_bookings().filter(round=rnd).values_list("child_id", flat=True))
    sent = 0
    links = (
        Guardianship.objects.filter(child__group_id=rnd.group_id)
        .exclude(child_id__in=booked)
        .select_related("child", "user")
    )
    for g in links:
        note = notify(
            g.user,
            f"planner-nudge:{rnd.pk}:{g.child_id}:{today.isoformat()}",
            Text(
                gettext_noop("Kiest u nog een tijd voor het startgesprek van %(name)s? %(purpose)s"),
                name=g.child.first_name,
                purpose=rnd.purpose,
            ),
            url=reverse("planner:book", args=[rnd.pk, g.child_id]),
            email_subject=Text(gettext_noop("Kies een tijd voor het startgesprek")),
        )
        sent += note is not None
    return sent


def send_reminders(today: date | None = None) -> int:
    """Remind everyone the day before their start-of-year conversation. Safe to run repeatedly."""
    from apps.notifications.services import notify

    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=1)
    sent = 0
    bookings = (
        _active_bookings()
        .filter(slot__starts_at__gte=start, slot__starts_at__lt=end, round__cancelled_at__isnull=True)
        .select_related("slot", "child", "round", "conversation")
        .prefetch_related("conversation__participants__user")
    )
    for b in bookings:
        people = [p.user for p in b.conversation.participants.all() if p.user] if b.conversation else [b.booked_by]
        for person in people:
            note = notify(
                person,
                f"planner-reminder:{b.pk}:{tomorrow.isoformat()}",
                Text(
                    gettext_noop("Morgen om %(time)s: startgesprek over %(name)s (%(place)s)."),
                    time=timezone.localtime(b.slot.starts_at).strftime("%H:%M"),
                    name=b.child.first_name,
                    place=b.round.place,
                ),
                url=reverse("conversations:detail", args=[b.conversation_id]) if b.conversation_id else "",
                email_subject=Text(gettext_noop("Herinnering: morgen startgesprek")),
            )
            sent += note is not None
    return sent
