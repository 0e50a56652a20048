"""Pages of the family's rights and retention: thin views around services.py and retention.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.policy import Action, authorize, decide, log_list
from apps.access.shortcuts import load_child
from apps.accounts.limits import rate_limited, reauthentication_required
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.core.forms import add_service_errors
from apps.core.idempotency import submitted_once

from . import retention, services, targets
from .forms import (
    CorrectionForm,
    DecisionForm,
    ExtendForm,
    HoldForm,
    InspectionRequestForm,
    RedactionForm,
    StatementForm,
)
from .models import CorrectionRequest, InspectionRequest, LegalHold


@login_required
def child_page(request, child_id):
    """The family's page: ask for a copy, follow it, download; see how long the file is kept."""
    child = load_child(child_id)
    actor = Actor.from_request(request, "web")
    authorize(actor, Action.VIEW, child, Category.BASIC, label=_("inzage en bewaren van het dossier"))
    user = request.user
    may_full = decide(user, Action.REQUEST_INSPECTION, child).allowed
    may_youth = not may_full and decide(user, Action.REQUEST_YOUTH_CARE_INSPECTION, child).allowed
    form = InspectionRequestForm(request.POST or None, initial={"youth_care": may_youth})
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(request) as first:
                if first:
                    services.request_inspection(actor, child, youth_care=may_youth, note=form.cleaned_data["note"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Uw verzoek is ontvangen. U krijgt bericht als het afschrift klaarstaat."))
            return redirect("privacy:child", child.pk)
    context = {
        "child": child,
        "form": form,
        "may_request": may_full or may_youth,
        "youth_care_only": may_youth,
        "refusal": "" if (may_full or may_youth) else decide(user, Action.REQUEST_INSPECTION, child).reason,
        "requests": services.requests_of(actor, child),
        "corrections": CorrectionRequest.objects.filter(child=child, requested_by=user),
        "can_download_visible": any(decide(user, Action.EXPORT, child, c).allowed for c in Category),
        "retention": retention.retention_dates(child),
        "may_hold": decide(user, Action.LEGAL_HOLD, child).allowed,
        "holds": LegalHold.objects.filter(child=child, lifted_at__isnull=True),
        "hold_form": HoldForm(),
    }
    return render(request, "privacy/child.html", context)


@login_required
@reauthentication_required
@rate_limited("export")
def download_visible(request, child_id):
    """What the family can already see, as a ZIP at once (through the policy; logged as an export)."""
    child = load_child(child_id)
    content = services.family_download(Actor.from_request(request, "web"), child)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="wat-ik-zie-{child.pk}.zip"'
    return response


@login_required
@reauthentication_required
def download(request, request_id):
    req = get_object_or_404(InspectionRequest.objects.select_related("child"), pk=request_id)
    req.child = load_child(req.child_id)
    handle = services.download(Actor.from_request(request, "web"), req)
    return FileResponse(handle, as_attachment=True, filename=f"dossier-{req.child_id}.zip")


@login_required
def inbox(request):
    """The coordinator's work: inspection requests of the school's pupils, corrections asked of me."""
    actor = Actor.from_request(request, "web")
    requests = list(services.open_requests_for(request.user)[:200])
    corrections = list(services.corrections_for_owner(request.user)[:200])
    log_list(
        actor, {r.child.pk: r.child for r in requests + corrections}.values(), _("de inzage- en correctieverzoeken")
    )
    return render(request, "privacy/inbox.html", {"requests": requests, "corrections": corrections})


@login_required
def handle(request, request_id):
    """The coordinator prepares the copy: extend with a reason, the redaction step, then the export job."""
    req = get_object_or_404(InspectionRequest.objects.select_related("requested_by", "job"), pk=request_id)
    req.child = load_child(req.child_id)
    actor = Actor.from_request(request, "web")
    services.handle_view(actor, req)
    extend_form = ExtendForm(prefix="ext")
    redaction_form = RedactionForm(prefix="red", initial={"terms": "\n".join(req.redact_terms)})
    if request.method == "POST":
        try:
            if "ext-until" in request.POST:
                extend_form = ExtendForm(request.POST, prefix="ext")
                if extend_form.is_valid():
                    services.extend(actor, req, **extend_form.cleaned_data)
                    messages.success(request, _("De termijn is verlengd. De aanvrager ziet de reden."))
                    return redirect("privacy:handle", req.pk)
            else:
                redaction_form = RedactionForm(request.POST, prefix="red")
                if redaction_form.is_valid():
                    services.prepare(
                        actor,
                        req,
                        terms=redaction_form.lines("terms"),
                        omitted=redaction_form.lines("omitted"),
                        reason=redaction_form.cleaned_data["reason"],
                    )
                    return redirect("privacy:handle", req.pk)
        except ValidationError as e:
            add_service_errors(extend_form if "ext-until" in request.POST else redaction_form, e)
    context = {
        "req": req,
        "child": req.child,
        "extend_form": extend_form,
        "redaction_form": redaction_form,
        "suggestions": services.redaction_suggestions(req),
        "job": req.job,
    }
    return render(request, "privacy/handle.html", context)


def _ask(request, kind, target_id, *, correction: bool):
    target = targets.load(kind, target_id)
    actor = Actor.from_request(request, "web")
    action = Action.REQUEST_CORRECTION if correction else Action.ADD_STATEMENT
    authorize(actor, Action.VIEW, target.child, target.category, obj=target.obj, label=target.label)
    form_class = CorrectionForm if correction else StatementForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if correction:
                services.request_correction(actor, kind, target_id, **form.cleaned_data)
                messages.success(request, _("Uw verzoek om correctie is verstuurd. Er wordt binnen 4 weken besloten."))
            else:
                services.add_statement(actor, kind, target_id, **form.cleaned_data)
                messages.success(
                    request, _("Uw zienswijze staat nu bij deze regel. Iedereen die de regel ziet, ziet hem.")
                )
            return redirect("privacy:child", target.child.pk)
        except ValidationError as e:
            add_service_errors(form, e)
    context = {
        "target": target,
        "child": target.child,
        "form": form,
        "correction": correction,
        "correctable": kind in targets.CORRECTABLE,
        "allowed": decide(request.user, action, target.child, target.category),
    }
    return render(request, "privacy/ask.html", context)


@login_required
def entry_correction(request, entry_id):
    return _ask(request, "timeline_entry", entry_id, correction=True)


@login_required
def entry_statement(request, entry_id):
    return _ask(request, "timeline_entry", entry_id, correction=False)


@login_required
def agreement_correction(request, agreement_id):
    return _ask(request, "agreement", agreement_id, correction=True)


@login_required
def agreement_statement(request, agreement_id):
    return _ask(request, "agreement", agreement_id, correction=False)


@login_required
def correction(request, correction_id):
    """The request and its due date; the record's owner decides here."""
    c = get_object_or_404(CorrectionRequest.objects.select_related("requested_by", "owner"), pk=correction_id)
    c.child = load_child(c.child_id)
    actor = Actor.from_request(request, "web")
    services.view_correction(actor, c)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_correction(
                actor, c, accept=form.cleaned_data["accept"], reason=form.cleaned_data["decision_reason"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Uw besluit is opgeslagen en de familie is op de hoogte gebracht."))
            return redirect("privacy:correction", c.pk)
    from .permissions import may_decide_correction

    context = {"c": c, "child": c.child, "form": form, "may_decide": may_decide_correction(request.user, c)}
    return render(request, "privacy/correction.html", context)


@login_required
@require_POST
def hold(request, child_id):
    child = load_child(child_id)
    actor = Actor.from_request(request, "web")
    lift = request.POST.get("lift")
    try:
        if lift:
            found = LegalHold.objects.filter(
                pk=lift if lift.isdigit() else 0, child=child, lifted_at__isnull=True
            ).first()
            if found is None:
                raise Http404
            found.child = child
            retention.lift_hold(actor, found)
            messages.success(request, _("De bewaarplicht is opgeheven."))
        else:
            retention.place_hold(actor, child, request.POST.get("reason", ""))
            messages.success(request, _("Het dossier blijft bewaard zolang de bewaarplicht geldt."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("privacy:child", child.pk)
