from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.policy import Action, authorize, decide, memberships_of
from apps.access.shortcuts import child_for, load_child
from apps.audit.log import Actor
from apps.core.idempotency import submitted_once
from apps.organisations.models import OUTSIDE_ROLES

from . import parent_view, rules, services
from .forms import ConsentForm, ParentViewForm, RevokeForm
from .models import PARENT_VIEW_CATEGORIES, Consent


def consent_rows(child, user):
    today = timezone.localdate()
    rows = []
    consents = child.consents.select_related("organisation", "grantee").prefetch_related(
        "scopes", "signatures__signer", "events__actor"
    )
    signer_as = rules.may_sign(user, child, today)
    for consent in consents:
        state = rules.status(consent, today)
        signed_ids = {s.signer_id for s in consent.signatures.all()}
        cosigners = rules.cosigners(consent, today)
        asked_to_cosign = state == rules.Status.VALID and any(s.user_id == user.pk for s in cosigners)
        rows.append(
            {
                "consent": consent,
                "status": state,
                "status_label": rules.Status.LABELS[state],
                "missing": rules.missing_signers(consent, today),
                "cosigners": cosigners,
                "can_sign": bool(signer_as)
                and user.pk not in signed_ids
                and (state in (rules.Status.PENDING, rules.Status.NEEDS_RENEWAL) or asked_to_cosign),
                "can_revoke": bool(signer_as) and state not in (rules.Status.REVOKED, rules.Status.EXPIRED),
            }
        )
    return rows


def signing_note(decision, child, user) -> str:
    """Why this guardian cannot sign (e.g. gezag not yet confirmed), in the policy's own words."""
    is_family = any(g.user_id == user.pk for g in child.guardianships.all())
    return decision.reason if is_family and not decision.allowed else ""


@login_required
def consent_page(request, child_id):
    child = child_for(request, child_id, Action.VIEW, label=_("de toestemmingen"))
    give = decide(request.user, Action.GIVE_CONSENT, child)
    can_give = give.allowed
    form = ConsentForm(request.POST or None) if can_give else None
    if request.method == "POST":
        if not can_give:
            child_for(request, child_id, Action.GIVE_CONSENT, label=_("een nieuwe toestemming"))
        if form.is_valid():
            try:
                with submitted_once(request) as first:
                    if not first:
                        return redirect("consent:page", child.pk)
                    values = dict(form.cleaned_data)
                    school = child.school if values.pop("to_school", False) else None
                    services.request_consent(child=child, by=request.user, school=school, **values)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("De toestemming is vastgelegd."))
                return redirect("consent:page", child.pk)
    rows = consent_rows(child, request.user)
    outside = memberships_of(request.user)
    if outside and all(m.role in OUTSIDE_ROLES for m in outside):
        # An outside professional sees the consents to their own organisation, not what the family
        # shares with other organisations (that would tell, say, that a GGD is involved).
        rows = [r for r in rows if r["consent"].organisation_id in {m.organisation_id for m in outside}]
    context = {
        "child": child,
        "rows": rows,
        "form": form,
        "signers": rules.required_signers(child, timezone.localdate()),
        "revoke_form": RevokeForm(),
        "signing_note": signing_note(give, child, request.user),
    }
    return render(request, "consent/consent_page.html", context)


def _consent_for(request, child_id, consent_id, action):
    """The child and one of its consents, authorized (and logged) for signing or revoking that consent, so the
    family's log names the consent; refused before a missing consent gives a 404 (docs/audit-log.md)."""
    child = load_child(child_id)
    consent = Consent.objects.filter(pk=consent_id, child=child).select_related("organisation").first()
    authorize(Actor.from_request(request), action, child, obj=consent, label=_("een toestemming"))
    if consent is None:
        raise Http404
    return child, consent


@require_POST
@login_required
def sign(request, child_id, consent_id):
    child, consent = _consent_for(request, child_id, consent_id, Action.GIVE_CONSENT)
    try:
        services.sign(consent, request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("U heeft de toestemming ondertekend."))
    return redirect("consent:page", child.pk)


@require_POST
@login_required
def revoke(request, child_id, consent_id):
    child, consent = _consent_for(request, child_id, consent_id, Action.REVOKE_CONSENT)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.revoke(consent, request.user, reason)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("De toestemming is ingetrokken. Dit geldt meteen."))
    return redirect("consent:page", child.pk)


@login_required
def parent_view_page(request, child_id):
    """What the parents see of health and support; from 16 the young person chooses it here."""
    child = child_for(request, child_id, Action.VIEW, label=parent_view.PAGE_LABEL)
    can_change = decide(request.user, Action.SET_PARENT_VIEW, child).allowed
    view = parent_view.parent_view(child)
    initial = {c.category: "shared" if c.shared else "hidden" for c in view.categories}
    form = ParentViewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        actor = Actor.from_request(request)
        if not can_change:  # refused and logged: only the young person, from 16, chooses this
            authorize(actor, Action.SET_PARENT_VIEW, child, label=parent_view.PAGE_LABEL)
        if form.is_valid():
            changed = [
                parent_view.set_shared(actor, child, category, form.cleaned_data[category] == "shared")
                for category in PARENT_VIEW_CATEGORIES
                if form.cleaned_data[category] != initial[category]
            ]
            if any(changed):
                messages.success(request, _("Je keuze is bewaard. Je ouders zien dit meteen zo."))
            return redirect("consent:parent_view", child.pk)
    context = {
        "child": child,
        "view": view,
        "form": form if can_change else None,
        "is_self": child.user_id == request.user.pk,
        "is_guardian": any(g.user_id == request.user.pk for g in child.guardianships.all()),
    }
    return render(request, "consent/parent_view.html", context)
