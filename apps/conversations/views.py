from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.access.policy import Action
from apps.access.shortcuts import child_for, load_child
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.core.idempotency import submitted_once
from apps.core.params import int_param
from apps.translation.rendering import translation_response

from . import ical, permissions, services
from .forms import (
    CancelForm,
    ConversationForm,
    FeedbackForm,
    InterpreterForm,
    OutcomeForm,
    RecordForm,
    RescheduleForm,
    RsvpForm,
)
from .models import KIND_CATEGORY, Conversation, Kind, Participant


def agreement_owners(child) -> list:
    """Who can own an agreement in the plan: the plan's own rule (guardians, the child, the circle)."""
    from apps.plans.services import circle_users

    return list(circle_users(child))


def _load(request, pk, action=Action.VIEW) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related(
            "child__school", "child__group", "child__user", "organiser"
        ).prefetch_related("child__guardianships", "participants__user"),
        pk=pk,
    )
    services._authorize(Actor.from_request(request), action, conversation)
    return conversation


def _apply_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


@login_required
def conversation_list(request):
    """My conversations, and for organisers the ones still waiting for feedback after 5 school days."""
    rows = services.conversations_for(request.user).order_by("-starts_at")
    child_id = int_param(request.GET.get("kind"))  # "kind" is Dutch for child: /gesprekken/?kind=12
    if child_id is not None:
        rows = rows.filter(child_id=child_id)
    page = Paginator(rows, 25).get_page(request.GET.get("pagina"))
    overdue = services.feedback_overdue(request.user)
    services.log_shown(
        Actor.from_request(request), [*page.object_list, *overdue], label=gettext_lazy("het gesprekkenoverzicht")
    )
    return render(request, "conversations/list.html", {"page": page, "overdue": overdue, "now": timezone.now()})


@login_required
def conversation_new(request, child_id):
    kinds = services.creatable_kinds(request.user, load_child(child_id))
    requested = request.POST.get("kind") or request.GET.get("soort") or ""
    # The page opens on a kind this person may plan; a posted kind they may not plan is refused (and logged).
    kind = requested if requested in kinds or request.method == "POST" else (kinds[0] if kinds else Kind.PROGRESS)
    category = KIND_CATEGORY.get(kind, Category.SUPPORT)
    child = child_for(request, child_id, Action.CREATE, category, label=gettext_lazy("een nieuw gesprek"))
    people = [
        p for p in services.invitable_people(child, category) if p.pk != request.user.pk and p.pk != child.user_id
    ]
    form = ConversationForm(
        request.POST or None,
        people=people,
        child_default=services.child_invited_by_default(child),
        initial={"kind": kind},
        kinds=kinds,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("conversations:list")
                conversation = services.plan_conversation(
                    Actor.from_request(request),
                    child,
                    kind=data["kind"],
                    purpose=data["purpose"],
                    starts_at=form.starts_at(),
                    minutes=data["minutes"],
                    place=data["place"],
                    video_url=data["video_url"],
                    participants=list(data["participants"]),
                    child_invited=data["child_invited"],
                    child_not_invited_reason=data["child_not_invited_reason"],
                )
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, _("Het gesprek is gepland. Iedereen krijgt een uitnodiging met het doel."))
            return redirect("conversations:detail", conversation.pk)
    return render(request, "conversations/new.html", {"child": child, "form": form})


@login_required
def conversation_detail(request, pk):
    conversation = _load(request, pk)
    user = request.user
    me = services.participant_for(user, conversation)
    can_record = permissions.may_record(user, conversation)
    child_seat = services.child_participant(conversation)
    context = {
        "conversation": conversation,
        "child": conversation.child,
        "me": me,
        "participants": conversation.participants.all(),
        "preparations": [
            (
                prep,
                [(q, prep.answers.get(code, "")) for code, q in services.questions_for(prep.participant)],
                next((m for m in services.MOODS if m[0] == prep.mood), None),
            )
            for prep in services.visible_preparations(user, conversation)
        ],
        "outcomes": conversation.outcomes.select_related("agreement__owner"),
        "can_record": can_record and not conversation.is_cancelled,
        "can_fill_child": child_seat is not None and permissions.may_fill_in_for_child(user, conversation),
        "rsvp_form": RsvpForm(initial={"answer": me.rsvp if me else None}),
        "record_form": RecordForm(
            initial={
                "version": conversation.version,
                "notes": conversation.notes,
                "went_well": conversation.went_well,
                "concerns": conversation.concerns,
            }
        ),
        "outcome_form": OutcomeForm(people=agreement_owners(conversation.child)) if can_record else None,
        "feedback_form": FeedbackForm(initial={"feedback": conversation.feedback}),
        "reschedule_form": RescheduleForm(
            prefix="move",
            initial={
                "version": conversation.version,
                "day": timezone.localtime(conversation.starts_at).date(),
                "time": timezone.localtime(conversation.starts_at).time().replace(second=0, microsecond=0),
                "minutes": int((conversation.ends_at - conversation.starts_at).total_seconds() // 60),
                "place": conversation.place,
                "video_url": conversation.video_url,
            },
        )
        if can_record and conversation.status == "planned" and not hasattr(conversation, "booking")
        else None,
        "family_languages": services.family_languages(conversation) if can_record else None,
        "interpreter_form": InterpreterForm(initial={"language": services.interpreter_suggested(conversation.child)})
        if can_record and conversation.status == "planned"
        else None,
        "is_past": conversation.starts_at <= timezone.now(),
        "feedback_due": services.feedback_due_on(conversation),
    }
    return render(request, "conversations/detail.html", context)


@login_required
@require_POST
def interpreter(request, pk):
    """Book an interpreter as a participant (docs/languages.md)."""
    conversation = _load(request, pk)
    form = InterpreterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul de naam van de tolk in en kies de taal."))
        return redirect("conversations:detail", pk)
    try:
        services.book_interpreter(
            Actor.from_request(request),
            conversation,
            name=form.cleaned_data["name"],
            language=form.cleaned_data["language"],
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("De tolk staat bij de deelnemers. De familie krijgt bericht."))
    return redirect("conversations:detail", pk)


@login_required
@require_POST
def rsvp(request, pk):
    conversation = _load(request, pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies of u komt, niet komt of het nog niet weet."))
    else:
        try:
            services.rsvp(Actor.from_request(request), conversation, form.cleaned_data["answer"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Bedankt, uw antwoord is doorgegeven."))
    return redirect("conversations:detail", pk)


def _prepare(request, conversation, participant, template):
    questions = services.questions_for(participant)
    existing = getattr(participant, "preparation", None)
    answers = dict(existing.answers) if existing else {}
    if request.method == "POST":
        answers = {code: request.POST.get(code, "") for code, _q in questions}
        shared = request.POST.get("shared", "yes") != "no"
        try:
            services.save_preparation(
                Actor.from_request(request),
                conversation,
                participant,
                answers,
                mood=request.POST.get("mood", ""),
                shared=shared,
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Dank je wel! Je antwoorden zijn bewaard."))
            return redirect("conversations:detail", conversation.pk)
    context = {
        "conversation": conversation,
        "child": conversation.child,
        "participant": participant,
        "questions": [(code, q, answers.get(code, "")) for code, q in questions],
        "moods": services.MOODS,
        "mood": existing.mood if existing else "",
        "shared": existing.shared if existing else True,
    }
    return render(request, template, context)


@login_required
def prepare(request, pk):
    conversation = _load(request, pk, Action.CREATE)
    participant = services.participant_for(request.user, conversation)
    if participant is None or participant.kind == Participant.Kind.CHILD:
        if participant is not None:
            return redirect("conversations:prepare_child", pk)
        messages.error(request, _("U bent niet uitgenodigd voor dit gesprek."))
        return redirect("conversations:detail", pk)
    return _prepare(request, conversation, participant, "conversations/prepare.html")


@login_required
def prepare_child(request, pk):
    conversation = _load(request, pk, Action.CREATE)
    participant = services.child_participant(conversation)
    if participant is None or not permissions.may_fill_in_for_child(request.user, conversation):
        messages.error(request, _("Het kind is niet uitgenodigd, of u kunt deze vragen niet met het kind invullen."))
        return redirect("conversations:detail", pk)
    return _prepare(request, conversation, participant, "conversations/prepare_child.html")


@login_required
@require_POST
def record(request, pk):
    conversation = _load(request, pk, Action.CHANGE)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.record_meeting(
                Actor.from_request(request),
                conversation,
                notes=form.cleaned_data["notes"],
                went_well=form.cleaned_data["went_well"],
                concerns=form.cleaned_data["concerns"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("De aantekeningen zijn bewaard."))
    return redirect("conversations:detail", pk)


@login_required
@require_POST
def add_outcome(request, pk):
    conversation = _load(request, pk, Action.CHANGE)
    form = OutcomeForm(request.POST, people=agreement_owners(conversation.child))
    form.is_valid()
    data = form.cleaned_data
    try:
        services.add_outcome(
            Actor.from_request(request),
            conversation,
            what=data.get("what", ""),
            owner=data.get("owner"),
            due=data.get("due"),
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, _("De afspraak staat in het plan van %(name)s.") % {"name": conversation.child.first_name}
        )
    return redirect("conversations:detail", pk)


@login_required
@require_POST
def feedback(request, pk):
    conversation = _load(request, pk, Action.CHANGE)
    try:
        sent = services.send_feedback(Actor.from_request(request), conversation, request.POST.get("feedback", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("De terugkoppeling is verstuurd aan %(n)d deelnemer(s).") % {"n": sent})
    return redirect("conversations:detail", pk)


@login_required
@require_POST
def reschedule(request, pk):
    conversation = _load(request, pk, Action.CHANGE)
    form = RescheduleForm(request.POST, prefix="move")
    if not form.is_valid():
        messages.error(request, _("Vul een geldige datum, tijd en duur in."))
        return redirect("conversations:detail", pk)
    data = form.cleaned_data
    try:
        services.reschedule(
            Actor.from_request(request),
            conversation,
            starts_at=form.starts_at(),
            minutes=data["minutes"],
            place=data["place"],
            video_url=data["video_url"],
            expected_version=data["version"],
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Het gesprek is verzet. Iedereen krijgt een nieuwe uitnodiging."))
    return redirect("conversations:detail", pk)


@login_required
def cancel(request, pk):
    conversation = _load(request, pk, Action.CHANGE)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(Actor.from_request(request), conversation, form.cleaned_data["reason"])
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, _("Het gesprek is geannuleerd. Alle genodigden hebben bericht gekregen."))
            return redirect("conversations:detail", pk)
    return render(request, "conversations/cancel.html", {"conversation": conversation, "form": form})


@login_required
def ics(request, pk):
    conversation = _load(request, pk)
    response = HttpResponse(ical.calendar_for([conversation]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{conversation.pk}.ics"'
    return response


@login_required
def translate_feedback(request, pk):
    """The feedback after a conversation in the reader's language, read through the policy like the page."""
    conversation = _load(request, pk)
    texts = [conversation.feedback] if conversation.feedback_sent_at else []
    return translation_response(
        request, texts, title=str(conversation), back=reverse("conversations:detail", args=[conversation.pk])
    )
