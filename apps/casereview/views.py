"""Thin views: the policy and `permissions.py` decide, `services.py` does the work (docs/learning-community.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.shortcuts import load_child
from apps.audit.log import Actor
from apps.core.idempotency import submitted_once
from apps.knowledge import services as knowledge
from apps.organisations.models import Board, School
from apps.timeline import services as timeline_services

from . import permissions, services
from .forms import ActionPointForm, FactorForm, ParticipantForm, StartForm
from .models import CaseReview


def _review(pk) -> CaseReview:
    return get_object_or_404(
        CaseReview.objects.select_related(
            "child__school", "child__group", "child__user", "school", "consent"
        ).prefetch_related("child__guardianships"),
        pk=pk,
    )


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request):
    actor = Actor.from_request(request)
    return render(request, "casereview/index.html", {"reviews": services.visible_reviews(actor)})


@login_required
def start(request, child_id):
    child = load_child(child_id)
    actor = Actor.from_request(request)
    form = StartForm(request.POST or None, initial={"held_on": None})
    consent = services.review_consent(child)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request) as first:
                if not first:
                    return redirect("casereview:index")
                review = services.start_review(actor, child, held_on=form.cleaned_data["held_on"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De casusreview is gestart."))
            return redirect("casereview:detail", review.pk)
    elif request.method != "POST":
        # Reading the start page (the child's consent state): the coordinator only; logged, a refusal is a 403.
        services.authorize_coordinator(actor, child, services.Action.VIEW)
    return render(
        request,
        "casereview/start.html",
        {"child": child, "form": form, "consent": consent, "no_consent": services.no_consent_message()},
    )


@login_required
def detail(request, pk):
    review = _review(pk)
    actor = Actor.from_request(request)
    view = services.read_review(actor, review)
    # The child's timeline is the starting point; read through the policy (and logged) like the timeline page.
    timeline = timeline_services.read_timeline(actor, review.child)
    coordinator = permissions.may_coordinate(request.user, review.child)
    own = permissions.participant_of(request.user, review)
    context = {
        "view": view,
        "review": review,
        "coordinator": coordinator,
        "own": own,
        "timeline": list(reversed(timeline.page.object_list[: services.TIMELINE_ITEMS])),
        # The knowledge-base links of every action point in one query (the tag per point reads from this).
        "kb_links": knowledge.links_by_object(view.action_points),
    }
    people = services.people_for(review.child) if coordinator else None
    if coordinator:
        taking_part = [p.user_id for p in view.family + view.professionals]
        context["participant_form"] = ParticipantForm(people=people.exclude(pk__in=taking_part))
        context["factor_form"] = FactorForm()
        context["point_form"] = ActionPointForm(people=people)
    context["fit_choices"] = [str(n) for n in range(1, 6)]
    return render(request, "casereview/detail.html", context)


def _post(request, pk, work, success: str):
    review = _review(pk)
    try:
        with submitted_once(request) as first:
            if first:
                work(Actor.from_request(request), review)
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, success)
    return redirect("casereview:detail", review.pk)


@login_required
@require_POST
def participant_add(request, pk):
    def work(actor, review):
        form = ParticipantForm(request.POST, people=services.people_for(review.child))
        if not form.is_valid():
            raise ValidationError(_("Kies iemand uit de kring van het kind of van de school."))
        services.add_participant(actor, review, form.cleaned_data["user"])

    return _post(request, pk, work, _("De deelnemer is toegevoegd."))


@login_required
@require_POST
def fit(request, pk):
    def work(actor, review):
        participant = get_object_or_404(review.participants.all(), pk=request.POST.get("participant") or 0)
        services.set_fit(actor, review, participant, request.POST.get("fit"), request.POST.get("note", ""))

    return _post(request, pk, work, _("Het antwoord is opgeslagen."))


@login_required
@require_POST
def factor_add(request, pk):
    def work(actor, review):
        services.add_factor(
            actor,
            review,
            kind=request.POST.get("kind", ""),
            level=request.POST.get("level", ""),
            text=request.POST.get("text", ""),
            key=request.POST.get("key", ""),
        )

    return _post(request, pk, work, _("De factor is toegevoegd."))


@login_required
@require_POST
def point_add(request, pk):
    def work(actor, review):
        form = ActionPointForm(request.POST, people=services.people_for(review.child))
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        data = form.cleaned_data
        services.add_action_point(
            actor,
            review,
            text=data["text"],
            destination=data["destination"],
            owner=data["owner"],
            due=data.get("due"),
            key=data.get("key", ""),
        )

    return _post(request, pk, work, _("Het actiepunt is toegevoegd."))


@login_required
def school_summary(request, school_id):
    school = get_object_or_404(School, pk=school_id)
    summary = services.school_summary(request.user, school)
    return render(request, "casereview/summary.html", {"summary": summary, "scope": school.name})


@login_required
def region_summary(request, board_id):
    board = get_object_or_404(Board, pk=board_id)
    summary = services.region_summary(request.user, board)
    return render(request, "casereview/summary.html", {"summary": summary, "scope": board.name})
