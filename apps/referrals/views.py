from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.access.policy import Action, log_list
from apps.audit.log import Actor
from apps.consent.models import Consent

from . import selectors, services
from .forms import AssignForm
from .models import Assignment

LIST_LABEL = gettext_lazy("de toestemmingen aan de organisatie")


@login_required
def organisation_consents(request):
    """Consents the family gave to the organisation as a whole: the organisation assigns who works on them."""
    rows = selectors.organisation_consents(request.user)
    page = Paginator(rows, 25).get_page(request.GET.get("pagina"))
    log_list(Actor.from_request(request), [r.child for r in page.object_list], label=LIST_LABEL, action=Action.ASSIGN)
    for row in page.object_list:
        row.form = AssignForm(organisation=row.consent.organisation, prefix=f"c{row.consent.pk}")
    return render(request, "referrals/organisation_consents.html", {"page": page})


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
