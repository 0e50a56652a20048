"""The reading page of the knowledge base, and adding or removing a link from another object."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.security_events import log_event

from . import services
from .models import Key, KnowledgeLink


@login_required
def index(request):
    all_keys = list(services.keys())
    return render(
        request,
        "knowledge/index.html",
        {
            "factors": [k for k in all_keys if k.kind == Key.Kind.FACTOR],
            "conditions": [k for k in all_keys if k.kind == Key.Kind.CONDITION],
            "working_factors": [k for k in all_keys if k.kind == Key.Kind.WORKING_FACTOR],
            "recommendations": services.recommendations(),
            "interventions": services.interventions(),
        },
    )


def _back(request, fallback: str):
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(nxt)
    return redirect(fallback)


@login_required
@require_POST
def link_add(request):
    source = services.resolve_source(request.POST.get("source", ""), request.POST.get("object_id"))
    if source is None:
        messages.error(request, _("Het onderdeel waar u aan wilde koppelen bestaat niet meer."))
        return _back(request, "knowledge:index")
    if not services.may_link(request.user, source):
        log_event("knowledge_link_refused", "knowledge link refused", request=request, user_id=request.user.pk)
        raise PermissionDenied(_("U mag hier geen koppeling met de kennisbank maken."))
    try:
        entry = services.parse_entry(request.POST.get("entry", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        services.add_link(source, entry, by=request.user)
        messages.success(request, _("De koppeling met de kennisbank is opgeslagen."))
    return _back(request, "knowledge:index")


@login_required
@require_POST
def link_remove(request, pk):
    link = get_object_or_404(KnowledgeLink, pk=pk)
    try:
        services.remove_link(link, by=request.user)
    except PermissionDenied:
        log_event("knowledge_link_refused", "knowledge link removal refused", request=request, user_id=request.user.pk)
        raise
    messages.success(request, _("De koppeling is verwijderd."))
    return _back(request, "knowledge:index")
