from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.access.policy import Action, authorize, decide, log_list
from apps.accounts import limits
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category, Consent

from . import permissions, selectors, services
from .forms import AssignForm, DeclineForm, JoinRequestForm, ReferralAssignForm, ReferralForm, ThreeWayForm
from .models import Assignment, JoinRequest, Referral

LIST_LABEL = gettext_lazy("de toestemmingen aan de organisatie")
JOIN_LIST_LABEL = gettext_lazy("de verzoeken om toe te voegen")


@login_required
def organisation_consents(request):
    """Consents the family gave to the organisation as a whole: the organisation assigns who works on them."""
    rows = selectors.organisation_consents(request.user)
    page = Paginator(rows, 25).get_page(request.GET.get("pagina"))
    log_list(Actor.from_request(request), [r.child for r in page.object_list], label=LIST_LABEL, action=Action.ASSIGN)
    for row in page.object_list:
        row.form = AssignForm(organisation=row.consent.organisation, prefix=f"c{row.consent.pk}")
    return render(
        request,
        "referrals/organisation_consents.html",
        {"page": page, "may_ask": permissions.may_ask_to_join(request.user)},
    )


@require_POST
@login_required
def assign(request, consent_id):
    consent = get_object_or_404(
        Consent.objects.select_related("child", "organisation"), pk=consent_id, grantee__isnull=True
    )
    form = AssignForm(request.POST, organisation=consent.organisation, prefix=f"c{consent.pk}")
    if not form.is_valid():
        messages.error(request, _("Kies een medewerker van uw organisatie."))
        return redirect("referrals:organisation_consents")
    try:
        services.assign_worker(
            Actor.from_request(request),
            child=consent.child,
            organisation=consent.organisation,
            worker=form.cleaned_data["worker"],
        )
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s zit nu in de kring van %(child)s, zolang de toestemming geldt.")
            % {"name": form.cleaned_data["worker"], "child": consent.child.first_name},
        )
    return redirect("referrals:organisation_consents")


@login_required
def end_assignment(request, assignment_id):
    assignment = get_object_or_404(
        Assignment.objects.select_related("child", "organisation", "worker"), pk=assignment_id
    )
    if request.method == "POST":
        try:
            services.end_assignment(Actor.from_request(request), assignment)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("%(name)s werkt niet meer met dit kind.") % {"name": assignment.worker})
        return redirect("referrals:organisation_consents")
    services.check_may_end(Actor.from_request(request), assignment)
    return render(request, "referrals/end_assignment.html", {"assignment": assignment})


JOIN_RATE_ACTION = "join_request"


@login_required
def ask_to_join(request):
    """A youth-care worker asks a school to be added; the answer never tells whether the child exists."""
    permissions.check_may_ask(request.user, request)
    organisations = permissions.asking_organisations(request.user)
    form = JoinRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        if not limits.consume(request, JOIN_RATE_ACTION):
            log_event("rate_limited", "join requests rate limited", request=request, user_id=request.user.pk)
            return limits.too_many_requests(request, JOIN_RATE_ACTION)
        services.submit_join_request(request.user, **form.cleaned_data)
        messages.success(request, services.JOIN_REQUEST_SENT)
        return redirect("referrals:ask_to_join")
    own = JoinRequest.objects.filter(worker=request.user).select_related("school", "organisation")[:20]
    return render(request, "referrals/ask_to_join.html", {"form": form, "own": own})


@login_required
def join_requests(request):
    """The IB'er's or director's inbox: open requests to their school, with the matching pupil(s)."""
    permissions.check_may_see_inbox(request.user, request)
    school_ids = permissions.handling_school_ids(request.user)
    rows = list(
        JoinRequest.objects.filter(school_id__in=school_ids, status=JoinRequest.Status.OPEN).select_related(
            "worker", "organisation", "school"
        )
    )
    shown = []
    for row in rows:
        row.matches = list(services.matching_pupils(row))
        row.decline_form = DeclineForm(prefix=f"j{row.pk}")
        shown += row.matches
    log_list(Actor.from_request(request), shown, label=JOIN_LIST_LABEL)
    return render(request, "referrals/join_requests.html", {"rows": rows})


@require_POST
@login_required
def join_request_ask_consent(request, request_id):
    join_request = get_object_or_404(JoinRequest.objects.select_related("worker", "organisation"), pk=request_id)
    permissions.check_may_handle(request.user, join_request, request)
    child = get_object_or_404(services.matching_pupils(join_request), pk=request.POST.get("child"))
    try:
        services.ask_family_consent(Actor.from_request(request), join_request, child)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(
            request,
            _(
                "De familie van %(child)s is om toestemming gevraagd. "
                "Zodra de familie tekent, komt %(name)s in de kring."
            )
            % {"child": child.first_name, "name": join_request.worker},
        )
    return redirect("referrals:join_requests")


@require_POST
@login_required
def join_request_decline(request, request_id):
    join_request = get_object_or_404(JoinRequest, pk=request_id)
    permissions.check_may_handle(request.user, join_request, request)
    form = DeclineForm(request.POST, prefix=f"j{join_request.pk}")
    if not form.is_valid():
        messages.error(request, _("Geef een reden op."))
        return redirect("referrals:join_requests")
    try:
        services.decline_join_request(Actor.from_request(request), join_request, form.cleaned_data["reason"])
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("Het verzoek is afgewezen."))
    return redirect("referrals:join_requests")


# --- Referrals (issue 10 item 2) -------------------------------------------------------------------------

REFERRAL_LIST_LABEL = gettext_lazy("de verwijzingen")
REFERRAL_TEXT_LABEL = gettext_lazy("de tekst van een verwijzing")


def _referral(referral_id) -> Referral:
    return get_object_or_404(
        Referral.objects.select_related(
            "child__school", "child__group", "organisation", "referred_by", "consent", "assignment__worker"
        ),
        pk=referral_id,
    )


@login_required
def referral_list(request):
    """The receiving organisation's inbox (only the referral text), and the referrals the user may follow."""
    actor = Actor.from_request(request)
    received = selectors.inbox(request.user)
    log_list(actor, [r.child for r in received], label=REFERRAL_TEXT_LABEL, action=Action.RECEIVE_REFERRAL)
    received_ids = {r.pk for r in received}
    followed = [r for r in selectors.visible_referrals(request.user)[:100] if r.pk not in received_ids]
    log_list(actor, [r.child for r in followed], label=REFERRAL_LIST_LABEL, category=Category.SUPPORT)
    return render(request, "referrals/referral_list.html", {"received": received, "followed": followed})


@login_required
def referral_new(request, child_id):
    child = get_object_or_404(Child.objects.select_related("school", "group"), pk=child_id)
    actor = Actor.from_request(request)
    # The form is only for who may refer: the same check (and log) as referring itself.
    authorize(actor, Action.MANAGE_CIRCLE, child, Category.SUPPORT, label=services.REFERRAL_ACTIONS_LABEL)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer(actor, child, request=request, **form.cleaned_data)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("De verwijzing wacht op toestemming van de familie. Pas daarna ziet %(org)s de verwijzing.")
                % {"org": referral.organisation},
            )
            return redirect("referrals:referral_detail", referral.pk)
    return render(request, "referrals/referral_new.html", {"form": form, "child": child})


@login_required
def referral_detail(request, referral_id):
    referral = _referral(referral_id)
    services.refresh_status(referral)
    actor = Actor.from_request(request)
    receiver = selectors.is_receiver(request.user, referral)
    if receiver:
        authorize(actor, Action.RECEIVE_REFERRAL, referral.child, obj=referral, label=REFERRAL_TEXT_LABEL)
    else:
        authorize(actor, Action.VIEW, referral.child, Category.SUPPORT, obj=referral, label=REFERRAL_LIST_LABEL)
    S = Referral.Status
    user = request.user
    may_plan = (
        referral.status == S.ASSIGNED
        and not referral.conversation_id
        and user.pk in {referral.referred_by_id, referral.assignment.worker_id if referral.assignment_id else None}
    )
    context = {
        "referral": referral,
        "steps": referral.steps.select_related("actor"),
        "holder": services.holder(referral),
        "categories": [str(label) for label in referral.consent.category_labels],
        "receiver": receiver,
        "may_answer": receiver and referral.status == S.SENT,
        "may_assign": receiver and referral.status == S.ACCEPTED,
        "may_withdraw": referral.status in (S.WAITING_CONSENT, S.SENT)
        and decide(user, Action.MANAGE_CIRCLE, referral.child, Category.SUPPORT).allowed,
        "may_plan": may_plan,
        # A link only where it leads somewhere: the conversation is support data (docs/youth-care.md).
        "show_conversation": bool(referral.conversation_id)
        and decide(user, Action.VIEW, referral.child, Category.SUPPORT).allowed,
        "decline_form": DeclineForm(),
        "assign_form": ReferralAssignForm(organisation=referral.organisation) if receiver else None,
        "three_way_form": ThreeWayForm() if may_plan else None,
        "agreed_days": settings.REFERRAL_RESPONSE_WORKING_DAYS,
    }
    return render(request, "referrals/referral_detail.html", context)


def _step(request, referral, call, success: str, done_url: str = ""):
    try:
        call()
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, success)
        if done_url:
            return redirect(done_url)
    return redirect("referrals:referral_detail", referral.pk)


@require_POST
@login_required
def referral_accept(request, referral_id):
    referral = _referral(referral_id)
    actor = Actor.from_request(request)
    return _step(
        request,
        referral,
        lambda: services.accept_referral(actor, referral),
        _("U heeft de verwijzing geaccepteerd. Kies nu wie met het kind gaat werken."),
    )


@require_POST
@login_required
def referral_decline(request, referral_id):
    referral = _referral(referral_id)
    actor = Actor.from_request(request)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _step(
        request,
        referral,
        lambda: services.decline_referral(actor, referral, reason),
        _("U heeft de verwijzing afgewezen. De school en de familie lezen uw reden."),
        done_url="referrals:referral_list",  # once declined the organisation no longer reads the referral
    )


@require_POST
@login_required
def referral_assign(request, referral_id):
    referral = _referral(referral_id)
    actor = Actor.from_request(request)
    form = ReferralAssignForm(request.POST, organisation=referral.organisation)
    if not form.is_valid():
        messages.error(request, _("Kies een medewerker van uw organisatie."))
        return redirect("referrals:referral_detail", referral.pk)
    worker = form.cleaned_data["worker"]
    return _step(
        request,
        referral,
        lambda: services.assign_referral(actor, referral, worker),
        _("%(name)s zit nu in de kring van %(child)s, zolang de toestemming geldt.")
        % {"name": worker, "child": referral.child.first_name},
    )


@require_POST
@login_required
def referral_three_way(request, referral_id):
    referral = _referral(referral_id)
    actor = Actor.from_request(request)
    form = ThreeWayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een moment en een plaats."))
        return redirect("referrals:referral_detail", referral.pk)
    return _step(
        request,
        referral,
        lambda: services.propose_three_way(actor, referral, **form.cleaned_data),
        _("Het driegesprek is voorgesteld. De familie, de school en de medewerker krijgen een uitnodiging."),
    )


@require_POST
@login_required
def referral_withdraw(request, referral_id):
    referral = _referral(referral_id)
    actor = Actor.from_request(request)
    return _step(
        request,
        referral,
        lambda: services.withdraw_referral(actor, referral, request.POST.get("reason", "")),
        _("De verwijzing is ingetrokken."),
    )


@login_required
def child_referrals(request, child_id):
    """The family's page: every referral of the child, every step, and who holds it now."""
    child = get_object_or_404(Child.objects.select_related("school"), pk=child_id)
    authorize(Actor.from_request(request), Action.VIEW, child, Category.SUPPORT, label=REFERRAL_LIST_LABEL)
    rows = list(
        Referral.objects.filter(child=child)
        .select_related("organisation", "referred_by", "assignment__worker", "consent")
        .prefetch_related("steps__actor")
    )
    for row in rows:
        services.refresh_status(row)
        row.holder = services.holder(row)
    return render(request, "referrals/child_referrals.html", {"child": child, "rows": rows})


@login_required
def response_times(request):
    """Response times per organisation: the organisation's administrator sees their own, the platform all."""
    orgs = permissions.response_time_organisations(request.user)
    if orgs is None:
        log_event("admin_refused", "refused response times", request=request, user_id=request.user.pk)
        raise PermissionDenied(_("U mag deze pagina niet gebruiken."))
    rows = services.response_times(orgs)
    return render(
        request,
        "referrals/response_times.html",
        {"rows": rows, "agreed_days": settings.REFERRAL_RESPONSE_WORKING_DAYS},
    )
