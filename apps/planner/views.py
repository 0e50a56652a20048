from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.access.policy import Action, decide, log_list
from apps.access.shortcuts import child_for
from apps.accounts.languages import in_language_of
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.conversations import ical
from apps.conversations import services as conversation_services

from . import services
from .forms import ReasonForm, RoundForm
from .models import Booking, CalendarFeed, Round, Slot
from .permissions import may_organise, organisable_groups


@login_required
def index(request):
    """Staff: the rounds they organise. Guardians: their children with open rounds and bookings."""
    groups = organisable_groups(request.user)
    rounds = list(
        Round.objects.filter(group__in=groups).select_related("group", "teacher").order_by("-created_at")[:50]
    )
    children = list(
        Child.objects.filter(guardianships__user=request.user).select_related("group").order_by("first_name")
    )
    open_rounds = {
        r.group_id: r
        for r in Round.objects.filter(group_id__in=[c.group_id for c in children], cancelled_at__isnull=True).order_by(
            "created_at"
        )
    }
    bookings = {
        b.child_id: b
        for b in Booking.objects.filter(
            booked_by=request.user, cancelled_at__isnull=True, round__in=open_rounds.values()
        ).select_related("slot")
    }
    if children:
        log_list(Actor.from_request(request), children, label=gettext_lazy("het overzicht van de startgesprekken"))
    rows = [(c, open_rounds.get(c.group_id), bookings.get(c.pk)) for c in children]
    return render(request, "planner/index.html", {"rounds": rounds, "can_open": groups.exists(), "rows": rows})


@login_required
def round_new(request):
    groups = organisable_groups(request.user)
    if not groups.exists():
        raise Http404
    form = RoundForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = services.open_round(
                request.user,
                data["group"],
                purpose=data["purpose"],
                windows=form.windows(),
                slot_minutes=data["slot_minutes"],
                place=data["place"],
            )
        except ValidationError as e:
            for field, errs in e.error_dict.items() if hasattr(e, "error_dict") else [(None, e.error_list)]:
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        else:
            messages.success(request, _("De gesprekstijden staan open: %(n)d tijden.") % {"n": rnd.slots.count()})
            return redirect("planner:round", rnd.pk)
    return render(request, "planner/new.html", {"form": form})


def _organised_round(request, pk) -> Round:
    rnd = get_object_or_404(Round.objects.select_related("group", "teacher", "group__school"), pk=pk)
    if not may_organise(request.user, rnd.group):
        raise Http404
    return rnd


@login_required
def round_detail(request, pk):
    """The teacher's view: every slot, who booked, who has not booked yet, the waiting list."""
    rnd = _organised_round(request, pk)
    rows = services.overview(request.user, rnd)
    booked = {b.slot_id: (row.child, b) for row in rows for b in row.bookings}
    slots = [(s, booked.get(s.pk)) for s in rnd.slots.all()]
    context = {
        "round": rnd,
        "slots": slots,
        "not_booked": [r for r in rows if not r.bookings],
        "waiting": [r for r in rows if r.waiting],
        "booked_count": sum(1 for r in rows if r.bookings),
        "pupil_count": len(rows),
        "cancel_form": ReasonForm(),
        "free_slots": list(services.free_slots(rnd)) if not rnd.cancelled_at else [],
    }
    return render(request, "planner/round.html", context)


@login_required
@require_POST
def book_for_family(request, pk, child_id):
    """The teacher books a free slot for a pupil's family, e.g. after a phone call."""
    rnd = _organised_round(request, pk)
    child = get_object_or_404(
        Child.objects.select_related("group", "school").prefetch_related("guardianships"), pk=child_id, group=rnd.group
    )
    slot = Slot.objects.filter(round=rnd, pk=request.POST.get("slot") or 0).first()
    if slot is None:
        messages.error(request, _("Kies een tijdstip uit de lijst."))
        return redirect("planner:round", pk)
    try:
        booking = services.book_for_family(Actor.from_request(request), slot, child)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("Geboekt voor %(name)s: %(when)s. De ouders krijgen bericht.")
            % {"name": child.full_name, "when": timezone.localtime(booking.slot.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
    return redirect("planner:round", pk)


@login_required
@require_POST
def round_nudge(request, pk):
    rnd = _organised_round(request, pk)
    try:
        sent = services.nudge(request.user, rnd)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Herinnering verstuurd aan %(n)d ouder(s).") % {"n": sent})
    return redirect("planner:round", pk)


@login_required
@require_POST
def round_cancel(request, pk):
    rnd = _organised_round(request, pk)
    try:
        count = services.cancel_round(request.user, rnd, request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("De gesprekken zijn geannuleerd; %(n)d ouder(s) kregen bericht.") % {"n": count})
    return redirect("planner:round", pk)


@login_required
@require_POST
def slot_remove(request, pk, slot_id):
    rnd = _organised_round(request, pk)
    slot = get_object_or_404(Slot, pk=slot_id, round=rnd)
    try:
        services.remove_slot(request.user, slot, request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("De tijd is geschrapt."))
    return redirect("planner:round", pk)


@login_required
def book(request, pk, child_id):
    """A guardian picks a slot. Slots right next to a sibling's conversation are shown first."""
    rnd = get_object_or_404(Round.objects.select_related("group", "group__school", "teacher"), pk=pk)
    child = child_for(request, child_id, Action.VIEW, services.CATEGORY, label=gettext_lazy("de startgesprekken"))
    if child.group_id != rnd.group_id:
        raise Http404
    actor = Actor.from_request(request)
    if request.method == "POST":
        slot = Slot.objects.filter(round=rnd, pk=request.POST.get("slot") or 0).first()
        if slot is None:
            messages.error(request, _("Kies een tijdstip uit de lijst."))
        else:
            try:
                booking = services.book_slot(actor, slot, child, together=request.POST.get("together", "yes") != "no")
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
            else:
                messages.success(
                    request,
                    _("Geboekt: %(when)s. U krijgt een uitnodiging met een agenda-bestand.")
                    % {"when": timezone.localtime(booking.slot.starts_at).strftime("%d-%m-%Y %H:%M")},
                )
                return redirect("planner:book", pk, child_id)
    mine = (
        Booking.objects.filter(round=rnd, child=child, cancelled_at__isnull=True)
        .select_related("slot", "booked_by")
        .order_by("slot__starts_at")
    )
    mine = list(mine)
    may_book = decide(request.user, Action.CREATE, child, services.CATEGORY)
    choices = services.slot_choices(request.user, child, rnd) if not rnd.cancelled_at and may_book else []
    context = {
        "siblings": services.siblings_to_book(request.user, child) if mine else [],
        "may_book": may_book,
        "round": rnd,
        "child": child,
        "bookings": mine,
        "my_booking": next((b for b in mine if b.booked_by_id == request.user.pk or b.together), None),
        "choices": choices,
        "several_guardians": len(child.guardianships.all()) > 1,
        "waiting": rnd.waitlist.filter(child=child, user=request.user, resolved_at__isnull=True).exists(),
    }
    return render(request, "planner/book.html", context)


@login_required
@require_POST
def waitlist(request, pk, child_id):
    rnd = get_object_or_404(Round, pk=pk)
    child = child_for(request, child_id, Action.VIEW, services.CATEGORY, label=gettext_lazy("de wachtlijst"))
    try:
        services.join_waitlist(Actor.from_request(request), rnd, child)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("U staat op de wachtlijst. U krijgt bericht als er een tijd vrijkomt."))
    return redirect("planner:book", pk, child_id)


@login_required
@require_POST
def booking_cancel(request, booking_id):
    booking = get_object_or_404(Booking.objects.select_related("round", "child", "slot", "conversation"), pk=booking_id)
    child_for(
        request, booking.child_id, Action.CHANGE, services.CATEGORY, label=gettext_lazy("een startgesprek"), obj=booking
    )
    if booking.booked_by_id != request.user.pk and not may_organise(request.user, booking.round.group):
        raise Http404
    try:
        services.cancel_booking(Actor.from_request(request), booking, request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("De afspraak is geannuleerd. Het tijdstip is weer vrij."))
    return redirect("planner:book", booking.round_id, booking.child_id)


# --- the schedule as an iCalendar feed ----------------------------------------------------------


def _feed_response(user, channel, request):
    conversations = conversation_services.schedule_for(user)
    conversation_services.log_shown(
        Actor(user=user, channel=channel, ip=request.META.get("REMOTE_ADDR")),
        conversations,
        label=gettext_lazy("de gespreksagenda"),
    )
    with in_language_of(user):  # a calendar app sends no session: the feed owner's language (docs/languages.md)
        body = ical.calendar_for(conversations, name=_("Gesprekken"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agenda(request):
    """The address of the personal feed; POST makes a new one (the old address stops working)."""
    if request.method == "POST":
        CalendarFeed.objects.filter(user=request.user).delete()
        CalendarFeed.objects.create(user=request.user)
        messages.success(request, _("Er is een nieuw agenda-adres gemaakt. Het oude werkt niet meer."))
        return redirect("planner:agenda")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(f"/startgesprekken/agenda/{feed.token}.ics") if feed else ""
    return render(request, "planner/agenda.html", {"feed_url": url})


@login_required
def agenda_ics(request):
    return _feed_response(request.user, "web", request)


def agenda_feed(request, token):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return _feed_response(feed.user, "feed", request)
