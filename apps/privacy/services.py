"""The family's rights over the file: inspection requests, corrections, own statements (R5, R8).

Every step asks the one policy (apps/access/policy.py) and is logged; see docs/inspection-and-retention.md."""

import io
import logging
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.policy import Action, authorize, decide, memberships_of
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.core import jobs
from apps.notifications.texts import Text
from apps.organisations.models import Membership, Role

from . import export, rules, targets
from .models import CorrectionRequest, InspectionRequest, Statement
from .permissions import may_decide_correction

log = logging.getLogger("driehoek.privacy")
OPEN_STATUSES = (InspectionRequest.Status.RECEIVED, InspectionRequest.Status.PREPARING, InspectionRequest.Status.FAILED)


def _notify(user, key, text, url=""):
    from apps.notifications.services import notify

    notify(user, key, text if isinstance(text, Text) else str(text), url)


def coordinators(child):
    """The IB'ers and directors of the child's school: they prepare inspection exports."""
    from apps.accounts.models import User

    ids = Membership.objects.effective().filter(school_id=child.school_id, role__in=(Role.IB, Role.DIRECTOR))
    return User.objects.filter(pk__in=ids.values("user_id"), is_active=True)


# --- inspection --------------------------------------------------------------------------------------------------


def request_inspection(actor: Actor, child, *, youth_care: bool = False, note: str = "") -> InspectionRequest:
    """A guardian with confirmed gezag (child under 16) or the young person (16+, or 12+ for what youth care
    recorded) asks for a copy; it is due one month later."""
    action = Action.REQUEST_YOUTH_CARE_INSPECTION if youth_care else Action.REQUEST_INSPECTION
    authorize(actor, action, child, Category.BASIC, label=_("een inzageverzoek"))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Houd de toelichting kort: hoogstens 500 tekens.")})
    if InspectionRequest.objects.filter(child=child, requested_by=actor.user, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("U heeft al een inzageverzoek dat nog loopt. U krijgt bericht als het klaar is."))
    scope = InspectionRequest.Scope.YOUTH_CARE if youth_care else InspectionRequest.Scope.FULL
    today = timezone.localdate()
    req = InspectionRequest.objects.create(
        child=child, requested_by=actor.user, scope=scope, note=note, due_on=rules.inspection_due_on(today)
    )
    url = reverse("privacy:handle", args=[req.pk])
    for user in coordinators(child):
        _notify(
            user,
            f"inspection:{req.pk}:{user.pk}",
            Text(
                gettext_noop("Nieuw inzageverzoek voor %(name)s, uiterlijk %(due)s."),
                name=child.first_name,
                due=req.due_on,
            ),
            url,
        )
    return req


def requests_of(actor: Actor, child) -> list[InspectionRequest]:
    """The requests this person made for the child (their own page)."""
    return list(InspectionRequest.objects.filter(child=child, requested_by=actor.user).select_related("job"))


def open_requests_for(user):
    """Requests a coordinator handles: of pupils of the schools where they are IB'er or director."""
    schools = [m.school_id for m in memberships_of(user) if m.role in (Role.IB, Role.DIRECTOR)]
    return (
        InspectionRequest.objects.filter(child__school_id__in=schools)
        .select_related("child", "requested_by")
        .order_by("due_on", "pk")
    )


def handle_view(actor: Actor, req: InspectionRequest) -> None:
    authorize(actor, Action.HANDLE_INSPECTION, req.child, Category.BASIC, obj=req, label=_("een inzageverzoek"))


def extend(actor: Actor, req: InspectionRequest, *, until, reason: str) -> InspectionRequest:
    """Up to two more months for a complex or large request; the requester sees why (R5)."""
    handle_view(actor, req)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Schrijf op waarom het langer duurt. De aanvrager leest dit.")
    latest = rules.latest_extension(req.due_on)
    if until is None or until <= req.due_on:
        errors["until"] = _("Kies een datum na %(due)s.") % {"due": req.due_on.strftime("%d-%m-%Y")}
    elif until > latest:
        errors["until"] = _("U kunt hoogstens twee maanden verlengen, tot %(latest)s.") % {
            "latest": latest.strftime("%d-%m-%Y")
        }
    if req.status == InspectionRequest.Status.READY:
        errors["until"] = _("Dit verzoek is al afgehandeld.")
    if errors:
        raise ValidationError(errors)
    req.extended_to, req.extension_reason = until, reason[:500]
    req.save(update_fields=["extended_to", "extension_reason"])
    _notify(
        req.requested_by,
        f"inspection-extended:{req.pk}:{until.isoformat()}",
        Text(
            gettext_noop("Uw inzageverzoek duurt langer: uiterlijk %(until)s. Reden: %(reason)s"),
            until=until,
            reason=reason,
        ),
        reverse("privacy:child", args=[req.child_id]),
    )
    return req


def _export_kwargs(req: InspectionRequest) -> dict:
    if req.scope == InspectionRequest.Scope.YOUTH_CARE:
        return {"outside_user_ids": export.outside_users()}
    return {}


def redaction_suggestions(req: InspectionRequest) -> list[str]:
    """Names of third parties found in the file: classmates, other guardians than the requester."""
    from apps.circles.models import Child
    from apps.messaging.models import Message
    from apps.timeline.models import TimelineEntry

    child = req.child
    blob = " ".join(
        [
            *TimelineEntry.objects.filter(child=child).values_list("text", flat=True),
            *Message.objects.filter(thread__child=child).values_list("body", flat=True)[:5000],
        ]
    ).lower()
    names = [g.user.full_name for g in child.guardianships.select_related("user") if g.user_id != req.requested_by_id]
    for first, last in (
        Child.objects.filter(group_id=child.group_id).exclude(pk=child.pk).values_list("first_name", "last_name")
    ):
        names += [f"{first} {last}", first]
    return sorted({n for n in names if n and len(n) > 1 and n.lower() in blob})


def _clean_redaction(req: InspectionRequest, terms, omitted) -> tuple[list, list]:
    child = req.child
    errors = {}
    terms = sorted({t.strip() for t in terms or [] if t and t.strip()})
    if any(len(t) < 2 for t in terms):
        errors["terms"] = _("Een woord om weg te laten heeft minstens 2 tekens.")
    own = {child.first_name.lower(), child.last_name.lower(), child.full_name.lower()}
    if any(t.lower() in own for t in terms):
        errors["terms"] = _(
            "De naam van %(name)s zelf weglaten maakt het afschrift leeg: het gaat over %(name)s. "
            "Laat alleen gegevens over anderen weg."
        ) % {"name": child.first_name}
    cleaned = []
    for item in omitted or []:
        section, _sep, pk = str(item).partition(":")
        if section not in export.SECTION_KEYS or not pk.isdigit() or section == "child":
            errors["omitted"] = _("Onbekend onderdeel om weg te laten: %(item)s.") % {"item": item}
            break
        cleaned.append(f"{section}:{int(pk)}")
    cleaned = sorted(set(cleaned))
    if not errors:
        counts = export.count_items(child, **_export_kwargs(req))
        # The file itself, not the child's own details nor the access log (which grows with every look at it).
        not_counted = {"child", "access_log"}
        total = sum(n for key, n in counts.items() if key not in not_counted)
        by_section: dict[str, int] = {}
        for item in cleaned:
            key = item.split(":")[0]
            if key not in not_counted:
                by_section[key] = by_section.get(key, 0) + 1
        left_out = sum(min(n, counts[key]) for key, n in by_section.items())
        if total and left_out >= total:
            errors["omitted"] = _(
                "Zo blijft er van het dossier niets over. Laat alleen weg wat over een ander gaat; "
                "de familie heeft recht op de rest."
            )
    if errors:
        raise ValidationError(errors)
    return terms, cleaned


def prepare(actor: Actor, req: InspectionRequest, *, terms=(), omitted=(), reason: str = ""):
    """The coordinator's redaction step, then the export as a background job with progress."""
    handle_view(actor, req)
    if req.status == InspectionRequest.Status.PREPARING and req.job and not req.job.finished:
        raise ValidationError(_("Het afschrift wordt al gemaakt."))
    terms, omitted = _clean_redaction(req, terms, omitted)
    if (terms or omitted) and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Schrijf op waarom u iets weglaat (bijvoorbeeld: gaat over een ander kind).")}
        )
    job = jobs.start(
        actor.user,
        _("Afschrift van het dossier van %(name)s") % {"name": req.child.first_name},
        len(export.SECTIONS) + 1,
    )
    req.redact_terms, req.omitted, req.redaction_reason = terms, omitted, (reason or "").strip()[:500]
    req.prepared_by, req.status, req.job = actor.user, InspectionRequest.Status.PREPARING, job
    req.save(update_fields=["redact_terms", "omitted", "redaction_reason", "prepared_by", "status", "job"])
    from .tasks import build_export_task

    build_export_task.enqueue(req.pk)
    return job


def build_export(request_id: int) -> InspectionRequest:
    """The task: read the whole file (logged as an export by the coordinator), redact, write the ZIP."""
    req = InspectionRequest.objects.select_related("child", "prepared_by", "job").get(pk=request_id)
    job = req.job
    child = req.child
    actor = Actor(req.prepared_by, channel="export")
    try:
        for category in Category:
            authorize(actor, Action.EXPORT, child, category, obj=req, label=_("het dossier voor een inzageverzoek"))
        collected = export.collect(child, progress=lambda i: jobs.progress(job, i), **_export_kwargs(req))
        collected = export.redact(collected, req.redact_terms, req.omitted)
        title = _("Afschrift van het dossier van %(name)s") % {"name": child.full_name}
        with tempfile.TemporaryFile() as tmp:
            export.write_zip(tmp, child, collected, title)
            req.size = tmp.tell()
            tmp.seek(0)
            req.file.save(f"inzage-{child.pk}-{req.pk}.zip", File(tmp), save=False)
    except Exception as e:
        log.exception("inspection export failed", extra={"request_id": req.pk})
        InspectionRequest.objects.filter(pk=req.pk).update(status=InspectionRequest.Status.FAILED)
        jobs.fail(job, _("Het afschrift kon niet worden gemaakt. Probeer het opnieuw."))
        if isinstance(e, PermissionDenied):
            return req
        raise
    req.status, req.ready_at = InspectionRequest.Status.READY, timezone.now()
    req.save(update_fields=["file", "size", "status", "ready_at"])
    jobs.finish(job, _("Klaar. De aanvrager kan het afschrift nu downloaden."))
    _notify(
        req.requested_by,
        f"inspection-ready:{req.pk}",
        Text(gettext_noop("Het afschrift van het dossier van %(name)s staat klaar."), name=child.first_name),
        reverse("privacy:child", args=[child.pk]),
    )
    return req


def download(actor: Actor, req: InspectionRequest):
    """Only the requester downloads the ZIP (it was redacted for them); logged as an export."""
    from django.http import Http404

    if req.requested_by_id != getattr(actor.user, "pk", None) or req.status != InspectionRequest.Status.READY:
        raise Http404
    authorize(actor, Action.EXPORT, req.child, Category.BASIC, obj=req, label=_("het afschrift van het dossier (ZIP)"))
    if req.downloaded_at is None:
        InspectionRequest.objects.filter(pk=req.pk).update(downloaded_at=timezone.now())
    return req.file.open("rb")


def family_download(actor: Actor, child) -> bytes:
    """What the family can already see, at once: only the categories `decide` allows it to export."""
    categories = [c.value for c in Category if decide(actor.user, Action.EXPORT, child, c).allowed]
    if not categories:
        authorize(actor, Action.EXPORT, child, Category.BASIC, label=_("wat u ziet (download)"))  # logged refusal
    for category in categories:
        authorize(actor, Action.EXPORT, child, category, label=_("wat u ziet (download)"))
    collected = export.collect(child, categories=categories, family=True)
    out = io.BytesIO()
    export.write_zip(out, child, collected, _("Wat u ziet van %(name)s") % {"name": child.full_name})
    return out.getvalue()


# --- correction and own statement --------------------------------------------------------------------------------


def _clean_text(value, field, empty, limit) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: empty})
    if len(value) > limit:
        raise ValidationError({field: _("Houd het kort: hoogstens %(n)s tekens.") % {"n": limit}})
    return value


def request_correction(actor: Actor, kind: str, target_id, *, proposed_text: str, explanation: str):
    """The family points out a factual error; the record's owner decides within 4 weeks."""
    target = targets.load(kind, target_id)
    authorize(actor, Action.REQUEST_CORRECTION, target.child, target.category, obj=target.obj, label=target.label)
    if kind not in targets.CORRECTABLE:
        raise ValidationError(
            _("Dit is een professioneel oordeel; dat wordt niet veranderd. U kunt er wel uw zienswijze naast zetten.")
        )
    proposed = _clean_text(proposed_text, "proposed_text", _("Schrijf op hoe het wel klopt."), 1000)
    explanation = _clean_text(explanation, "explanation", _("Schrijf op wat er niet klopt."), 1000)
    if proposed == target.text.strip():
        raise ValidationError({"proposed_text": _("Dit is de tekst die er al staat.")})
    if CorrectionRequest.objects.filter(
        target_type=kind, target_id=target.obj.pk, requested_by=actor.user, status=CorrectionRequest.Status.OPEN
    ).exists():
        raise ValidationError(_("U heeft al om een correctie van deze regel gevraagd. Er wordt nog over besloten."))
    correction = CorrectionRequest.objects.create(
        child=target.child,
        target_type=kind,
        target_id=target.obj.pk,
        category=target.category,
        owner_id=target.owner_id,
        current_text=target.text,
        proposed_text=proposed,
        explanation=explanation,
        requested_by=actor.user,
        due_on=rules.correction_due_on(timezone.localdate()),
    )
    _notify(
        correction.owner,
        f"correction:{correction.pk}",
        Text(
            gettext_noop("Verzoek om correctie van %(what)s over %(name)s; beslis uiterlijk %(due)s."),
            what=target.label,
            name=target.child.first_name,
            due=correction.due_on,
        ),
        reverse("privacy:correction", args=[correction.pk]),
    )
    return correction


def view_correction(actor: Actor, correction: CorrectionRequest) -> None:
    authorize(
        actor, Action.VIEW, correction.child, correction.category, obj=correction, label=_("een correctieverzoek")
    )
    if actor.user.pk not in (correction.owner_id, correction.requested_by_id) and not may_decide_correction(
        actor.user, correction
    ):
        raise PermissionDenied(_("Dit correctieverzoek is niet aan u gericht."))


def decide_correction(actor: Actor, correction: CorrectionRequest, *, accept: bool, reason: str = ""):
    """The owner corrects (the record's history keeps the old text) or refuses with a reason."""
    authorize(
        actor, Action.CHANGE, correction.child, correction.category, obj=correction, label=_("een correctieverzoek")
    )
    if not may_decide_correction(actor.user, correction):
        raise PermissionDenied(_("Alleen wie dit schreef, beslist over de correctie."))
    if correction.status != CorrectionRequest.Status.OPEN:
        raise ValidationError(_("Over dit verzoek is al besloten."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"decision_reason": _("Schrijf op waarom u het niet verbetert. De familie leest dit.")})
    with transaction.atomic():
        if accept:
            target = targets.load(correction.target_type, correction.target_id)
            targets.apply_correction(actor, target, correction.proposed_text)
        correction.status = CorrectionRequest.Status.ACCEPTED if accept else CorrectionRequest.Status.REFUSED
        correction.decided_by, correction.decided_at, correction.decision_reason = actor.user, timezone.now(), reason
        correction.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    text = (
        Text(gettext_noop("Uw verzoek om correctie is ingewilligd."))
        if accept
        else Text(gettext_noop("Uw verzoek om correctie is afgewezen: %(r)s"), r=reason)
    )
    _notify(
        correction.requested_by,
        f"correction-decided:{correction.pk}",
        text,
        reverse("privacy:child", args=[correction.child_id]),
    )
    return correction


def corrections_for_owner(user):
    return CorrectionRequest.objects.filter(owner=user, status=CorrectionRequest.Status.OPEN).select_related("child")


def add_statement(actor: Actor, kind: str, target_id, *, text: str) -> Statement:
    """The family's own statement beside a professional opinion; the opinion itself stays as written."""
    target = targets.load(kind, target_id)
    authorize(actor, Action.ADD_STATEMENT, target.child, target.category, obj=target.obj, label=_("een zienswijze"))
    text = _clean_text(text, "text", _("Schrijf uw zienswijze op."), 3000)
    statement = Statement.objects.create(
        child=target.child,
        target_type=kind,
        target_id=target.obj.pk,
        category=target.category,
        text=text,
        author=actor.user,
    )
    _notify(
        statement_owner(target),
        f"statement:{statement.pk}",
        Text(
            gettext_noop("De familie van %(name)s zette een zienswijze bij %(what)s."),
            name=target.child.first_name,
            what=target.label,
        ),
    )
    return statement


def statement_owner(target):
    from apps.accounts.models import User

    return User.objects.get(pk=target.owner_id)


def attach_statements(kind: str, objects) -> None:
    """Give each object (already read through the policy) its statements as `.statements`, in one query."""
    objects = list(objects)
    by_target: dict[int, list] = {o.pk: [] for o in objects}
    if by_target:
        for s in Statement.objects.filter(target_type=kind, target_id__in=list(by_target)).select_related("author"):
            by_target[s.target_id].append(s)
    for o in objects:
        o.statements = by_target.get(o.pk, [])


def statements_of(actor: Actor, child) -> list[Statement]:
    """The child's statements in the categories the reader may see (the API's list), logged as one read each."""
    from apps.timeline.services import log_read

    categories = log_read(actor, child, _("de zienswijzen"))
    return list(Statement.objects.filter(child=child, category__in=categories).select_related("author"))
