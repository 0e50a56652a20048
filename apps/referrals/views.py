from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.access.policy import Action, log_list
from apps.accounts import limits
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.consent.models import Consent

from . import permissions, selectors, services
from .forms import AssignForm, DeclineForm, JoinRequestForm
from .models import Assignment, JoinRequest

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
