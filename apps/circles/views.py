from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.access.policy import Action, authorize, decide, log_list
from apps.access.shortcuts import child_for, load_child
from apps.accounts import services as account_services
from apps.accounts.forms import InviteForm
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.referrals.selectors import circle_members

from . import authority, information, services
from .forms import DeclareAuthorityForm, HandoverForm, InformationDecisionForm, InformationRequestForm
from .models import CircleMember, InformationRequest


@login_required
def child_detail(request, child_id):
    # The guardians with their accounts once: the page lists them and the consents' signers are read from them.
    label = _("de kindpagina met de kring")
    child = child_for(request, child_id, Action.VIEW, Category.BASIC, label=label, prefetch=("guardianships__user",))
    members = circle_members(child)
    context = {
        "child": child,
        "members": members,
        "coordinator": next((m for m in members if m.is_coordinator), None),
        "guardianships": child.guardianships.all(),
        "handovers": child.handovers.select_related("previous", "new")[:5],
        "can_manage": decide(request.user, Action.MANAGE_CIRCLE, child).allowed,
        "can_see_log": decide(request.user, Action.VIEW_LOG, child).allowed,
    }
    return render(request, "circles/child_detail.html", context)


@login_required
def change_coordinator(request, child_id):
    child = child_for(request, child_id, Action.MANAGE_CIRCLE, label=_("het aanspreekpunt"))
    form = HandoverForm(request.POST or None, child=child, members=circle_members(child))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_coordinator(
                child=child, new_member=form.cleaned_data["member"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Het aanspreekpunt is gewisseld. De familie ziet de overdrachtsnotitie."))
            return redirect("circles:detail", child.pk)
    return render(request, "circles/change_coordinator.html", {"child": child, "form": form})


@login_required
def invite(request, child_id):
    child = child_for(request, child_id, Action.MANAGE_CIRCLE, label=_("de uitnodigingen"))
    may_invite = decide(request.user, Action.INVITE_FAMILY, child).allowed
    if request.method == "POST" and not may_invite:
        # A new family account reads the whole file: the IB'er or the director only (logged refusal).
        child_for(request, child_id, Action.INVITE_FAMILY, label=_("een nieuw gezinslid"))
    form = InviteForm(request.POST or None) if may_invite else None
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invite(
                by=request.user,
                email=form.cleaned_data["email"],
                children=[child],
                kind=form.cleaned_data["kind"],
                relation=form.cleaned_data["relation"],
                has_authority=form.cleaned_data["has_authority"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("De uitnodiging is verstuurd. De link is 7 dagen geldig."))
            return redirect("circles:detail", child.pk)
    invites = account_services.invites_for(child)
    return render(request, "circles/invite.html", {"child": child, "form": form, "invites": invites})


@login_required
def end_membership(request, child_id, member_id):
    child = child_for(request, child_id, Action.MANAGE_CIRCLE, label=_("de kring"))
    member = get_object_or_404(CircleMember, pk=member_id, child=child)
    if request.method == "POST":
        if member.is_coordinator:
            messages.error(request, _("Wissel eerst van aanspreekpunt voordat deze persoon de kring verlaat."))
        else:
            from django.utils import timezone

            CircleMember.objects.filter(pk=member.pk).update(until=timezone.localdate())
            messages.success(request, _("%(name)s is uit de kring gehaald.") % {"name": member.user})
        return redirect("circles:detail", child.pk)
    return render(request, "circles/end_membership.html", {"child": child, "member": member})


@login_required
def declare_authority(request):
    """The guardian's own answer about gezag, asked after accepting an invite and at log-in until given."""
    open_ones = list(authority.to_declare(request.user))
    if not open_ones:
        return redirect("core:home")
    form = DeclareAuthorityForm(request.POST if request.method == "POST" else None, guardianships=open_ones)
    if request.method == "POST" and form.is_valid():
        try:
            authority.declare_authority(user=request.user, answers=form.answers())
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Dank u. De school controleert uw antwoord en bevestigt het."))
            return redirect("core:home")
    return render(request, "circles/declare_authority.html", {"form": form})


@login_required
def information_requests(request):
    """A parent without gezag: ask the school for information, and read every decision with its reason."""
    children = list(information.askable_children(request.user))
    form = InformationRequestForm(request.POST or None, children=children) if children else None
    if request.method == "POST":
        raw = request.POST.get("child", "")
        if not raw.isdigit():
            raise Http404
        child = load_child(raw)  # someone else's child: refused like reading it (a logged 403)
        try:
            information.request_information(Actor.from_request(request), child, request.POST.get("question", ""))
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Uw verzoek is naar de school gestuurd. U leest het besluit hier."))
            return redirect("circles:information_requests")
    context = {"form": form, "requests": information.my_requests(request.user)}
    return render(request, "circles/information_requests.html", context)


@login_required
def information_inbox(request):
    """The IB'er or director: the requests of parents without gezag, to decide with a reason."""
    rows = list(information.requests_to_decide(request.user))
    if not rows and not information.may_decide_somewhere(request.user):
        raise PermissionDenied(_("Alleen de IB'er of de directeur beslist over informatieverzoeken."))
    log_list(Actor.from_request(request), {r.child_id: r.child for r in rows}.values(), _("de informatieverzoeken"))
    pending = [r for r in rows if r.status == r.Status.PENDING]
    decided = [r for r in rows if r.status != r.Status.PENDING]
    context = {"pending": pending, "decided": decided, "form": InformationDecisionForm()}
    return render(request, "circles/information_inbox.html", context)


@login_required
def decide_information(request, request_id):
    info = get_object_or_404(InformationRequest.objects.select_related("child", "requester"), pk=request_id)
    actor = Actor.from_request(request)
    authorize(actor, Action.DECIDE_INFORMATION, info.child, obj=info, label=_("een informatieverzoek"))
    form = InformationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            information.decide_request(
                actor, info, grant=d["decision"] == "grant", ground=d["ground"], reason=d["reason"]
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Uw besluit is vastgelegd. De ouder en de ouders met gezag zijn ingelicht."))
            return redirect("circles:information_inbox")
    status = 400 if request.method == "POST" else 200
    return render(request, "circles/information_decide.html", {"info": info, "form": form}, status=status)
