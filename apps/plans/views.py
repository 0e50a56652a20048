"""Plan pages: thin views around apps.plans.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.policy import Action, authorize, decide
from apps.access.shortcuts import load_child
from apps.accounts.limits import rate_limited, reauthentication_required
from apps.audit.log import Actor
from apps.circles.services import coordinator_of
from apps.core.forms import add_service_errors
from apps.core.idempotency import submitted_once
from apps.knowledge import services as knowledge

from . import permissions, services
from .forms import AgreementEditForm, AgreementForm, GoalEditForm, GoalForm, StatusForm
from .groei import services as groei_services
from .models import Agreement, AgreementStatus, Goal
from .opp import services as opp_services

CLOSED_SHOWN = 20  # finished agreements shown before "show all": keeps the page light on a phone


@login_required
def plan(request, child_id):
    child = load_child(child_id, "circle")
    actor = Actor.from_request(request, "web")
    agreement_form = goal_form = None
    if request.method == "POST":
        if not decide(request.user, Action.CREATE, child, services.PLAN_CATEGORY).allowed:
            authorize(actor, Action.CREATE, child, services.PLAN_CATEGORY, label=_("het plan"))  # logged 403
        if request.POST.get("form") == "goal":
            goal_form = GoalForm(request.POST, child=child)
            if goal_form.is_valid():
                try:
                    with submitted_once(request) as first:
                        if not first:
                            return redirect("plans:child", child.pk)
                        services.add_goal(actor, child, **goal_form.cleaned_data)
                except ValidationError as e:
                    add_service_errors(goal_form, e)
                else:
                    messages.success(request, _("Het doel staat in het plan."))
                    return redirect("plans:child", child.pk)
        else:
            agreement_form = AgreementForm(request.POST, child=child)
            if agreement_form.is_valid():
                try:
                    with submitted_once(request) as first:
                        if not first:
                            return redirect("plans:child", child.pk)
                        services.add_agreement(actor, child, **agreement_form.cleaned_data)
                except ValidationError as e:
                    add_service_errors(agreement_form, e)
                else:
                    messages.success(request, _("De afspraak staat in het plan."))
                    return redirect("plans:child", child.pk)
    view = services.read_plan(actor, child, record_visit=request.method == "GET")
    can_create = decide(request.user, Action.CREATE, child, services.PLAN_CATEGORY).allowed
    can_change = decide(request.user, Action.CHANGE, child, services.PLAN_CATEGORY).allowed
    if can_create:
        agreement_form = agreement_form or AgreementForm(child=child)
        goal_form = goal_form or GoalForm(child=child)
    opp_view = opp_services.read_opp(actor, child, goals=view.goals, agreements=view.agreements)
    coordinator = coordinator_of(child)
    closed = sorted((a for a in view.agreements if not a.is_open), key=lambda a: (a.updated_at, a.pk), reverse=True)
    show_all = request.GET.get("alle") == "1"
    context = {
        "child": child,
        "plan": view,
        "open_agreements": [a for a in view.agreements if a.is_open],
        "closed_agreements": closed if show_all else closed[:CLOSED_SHOWN],
        "closed_hidden": 0 if show_all else max(0, len(closed) - CLOSED_SHOWN),
        "agreement_form": agreement_form,
        "goal_form": goal_form,
        "can_create": can_create,
        "can_change": can_change,
        "can_export": decide(request.user, Action.EXPORT, child, services.PLAN_CATEGORY).allowed,
        "statuses": AgreementStatus.choices,
        "coordinator": coordinator,
        "today": timezone.localdate(),
        "v": opp_view,
        "can_draft": permissions.may_draft(request.user, child),
        "required_names": [opp_view.names.get(i, "") for i in (opp_view.state.missing if opp_view.state else [])],
        "part": groei_services.plan_by_domain(child, view.goals),
        # The knowledge-base links of every agreement in one query (the tag per agreement reads from this).
        "kb_links": knowledge.links_by_object(view.agreements),
    }
    return render(request, "plans/plan.html", context)


def _row(request, agreement, *, error="", notice=""):
    """The agreement's row alone, for htmx to swap in place after a status change."""
    child = agreement.child
    context = {
        "a": agreement,
        "child": child,
        "can_change": decide(request.user, Action.CHANGE, child, services.PLAN_CATEGORY).allowed,
        "statuses": AgreementStatus.choices,
        "today": timezone.localdate(),
        "row_error": error,
        "row_notice": notice,
    }
    return render(request, "plans/_agreement.html", context)


@login_required
def agreement_status(request, agreement_id):
    """Change an agreement's status. With htmx only the agreement's row comes back; without
    JavaScript the plan page is shown again with a message."""
    agreement = get_object_or_404(Agreement.objects.select_related("child", "owner"), pk=agreement_id)
    if request.method != "POST":
        return redirect("plans:child", agreement.child_id)
    agreement.child = load_child(agreement.child_id, "circle")
    form = StatusForm(request.POST)
    actor = Actor.from_request(request, "web")
    error = notice = ""
    if not form.is_valid():
        error = _("Kies een geldige status.")
    else:
        try:
            services.set_agreement_status(
                actor,
                agreement,
                form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as e:
            error = _("%(msg)s Nu staat er: %(status)s.") % {
                "msg": e.messages[0],
                "status": e.current.get_status_display(),
            }
            e.current.child = agreement.child
            agreement = e.current
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            notice = _("De status van de afspraak is bijgewerkt.")
    if request.htmx:
        return _row(request, agreement, error=error, notice=notice)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(reverse("plans:child", args=[agreement.child_id]) + f"#afspraak-{agreement.pk}")


@login_required
def agreement_edit(request, agreement_id):
    """Change what, who and by when of an agreement; someone else's change in the meantime is
    shown beside what this person typed, never overwritten."""
    agreement = get_object_or_404(Agreement.objects.select_related("owner"), pk=agreement_id)
    child = load_child(agreement.child_id, "circle")
    agreement.child = child
    actor = Actor.from_request(request, "web")
    stale = None
    label = _("een afspraak in het plan")
    if request.method == "POST":
        if not decide(request.user, Action.CHANGE, child, services.PLAN_CATEGORY).allowed:
            # refused before the form is even checked (it lists the circle); the refusal is logged
            authorize(actor, Action.CHANGE, child, services.PLAN_CATEGORY, obj=agreement, label=label)
        form = AgreementEditForm(request.POST, child=child)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.change_agreement(actor, agreement, expected_version=version, **data)
            except services.StaleEdit as e:
                stale = e.current
                form.add_error(None, e.messages[0])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("De afspraak is bijgewerkt."))
                return redirect(reverse("plans:child", args=[child.pk]) + f"#afspraak-{agreement.pk}")
    else:
        authorize(actor, Action.CHANGE, child, services.PLAN_CATEGORY, obj=agreement, label=label)
        form = AgreementEditForm(
            child=child,
            initial={
                "what": agreement.what,
                "owner": agreement.owner_id,
                "due": agreement.due,
                "version": agreement.version,
            },
        )
    return render(
        request, "plans/agreement_edit.html", {"child": child, "agreement": agreement, "form": form, "stale": stale}
    )


@login_required
def goal_edit(request, goal_id):
    """Change or evaluate a goal; someone else's change in the meantime is shown, never overwritten."""
    goal = get_object_or_404(Goal, pk=goal_id)
    child = load_child(goal.child_id, "circle")
    goal.child = child
    actor = Actor.from_request(request, "web")
    stale = None
    if request.method == "POST":
        form = GoalEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.change_goal(actor, goal, expected_version=version, **data)
            except services.StaleEdit as e:
                stale = e.current
                form.add_error(None, e.messages[0])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Het doel is bijgewerkt."))
                return redirect("plans:child", child.pk)
    else:
        authorize(actor, Action.VIEW, child, services.PLAN_CATEGORY, obj=goal, label=_("een doel in het plan"))
        form = GoalEditForm(
            initial={
                "text": goal.text,
                "child_words": goal.child_words,
                "evaluate_on": goal.evaluate_on,
                "evaluation": goal.evaluation,
                "version": goal.version,
            }
        )
    return render(request, "plans/goal_edit.html", {"child": child, "goal": goal, "form": form, "stale": stale})


@login_required
@reauthentication_required
@rate_limited("export")
def pdf(request, child_id):
    """The plan as a PDF for a case discussion (WeasyPrint); exporting is its own logged action."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from weasyprint import HTML

    child = load_child(child_id, "circle")
    actor = Actor.from_request(request, "web")
    authorize(actor, Action.EXPORT, child, services.PLAN_CATEGORY, label=_("het plan (PDF)"))
    view = services.read_plan(actor, child, record_visit=False)
    html = render_to_string(
        "plans/print.html",
        {"child": child, "plan": view, "today": timezone.localdate(), "coordinator": coordinator_of(child)},
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{child.pk}.pdf"'
    return response


@login_required
def my_agreements(request):
    """What I agreed to do, for every child: the owner's own to-do list."""
    agreements = services.my_open_agreements(Actor.from_request(request, "web"))
    return render(request, "plans/mine.html", {"agreements": agreements, "today": timezone.localdate()})
