"""Information on request for a parent without gezag (BW 1:377c; docs/guardians-and-gezag.md).

A parent without gezag gets nothing automatically. In information mode "on request" they ask the school in
the app; the IB'er or the director decides with a reason against the legal grounds (the same information the
parent with gezag would get; unless that parent would not get it either, or the child's interest opposes
it). A granted request lets them read the school progress and development (`policy.INFORMATION_CATEGORIES`),
never what youth care recorded, for `GRANT_DAYS`. Every step is decided and logged by the policy; the
requester sees every decision with its reason; the parents with gezag are told (1:377b).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.policy import SCHOOL_RIGHTS, Action, authorize, memberships_of
from apps.audit.log import Actor
from apps.notifications.services import notify
from apps.notifications.texts import Text

from .models import Child, Guardianship, InformationRequest

GRANT_DAYS = 365  # a granted request holds a year; then the parent asks again
Ground = InformationRequest.Ground
Status = InformationRequest.Status
GRANT_GROUNDS = {Ground.SAME_AS_GEZAG}
REFUSE_GROUNDS = {Ground.NOT_GIVEN_TO_GEZAG, Ground.CHILD_INTEREST}


def request_information(actor: Actor, child: Child, question: str) -> InformationRequest:
    """The parent asks. Someone who may not (another child's parent, a parent with gezag, mode "none") is
    refused like reading the child: a logged 403."""
    authorize(actor, Action.REQUEST_INFORMATION, child, obj=None, label=_("een informatieverzoek"))
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Schrijf op welke informatie u over %(name)s wilt.") % _name(child)})
    if len(question) > 1000:
        raise ValidationError({"question": _("Houd uw vraag kort: hoogstens 1000 tekens.")})
    with transaction.atomic():
        request = InformationRequest.objects.create(child=child, requester=actor.user, question=question)
    for user in deciders(child):
        notify(
            user,
            f"information-request:{request.pk}",
            Text(
                gettext_noop("Een ouder zonder gezag vraagt informatie over %(name)s. Beslis met een reden."),
                **_name(child),
            ),
            url=reverse("circles:information_inbox"),
        )
    return request


def decide_request(
    actor: Actor, request: InformationRequest, *, grant: bool, ground: str, reason: str
) -> InformationRequest:
    """The IB'er or the director grants or refuses, always with a reason against the legal grounds."""
    authorize(actor, Action.DECIDE_INFORMATION, request.child, obj=request, label=_("een informatieverzoek"))
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _(
            "Geef een toelichting bij uw besluit. De ouder leest die; een weigering moet u onderbouwen met een "
            "grond uit de wet."
        )
    allowed_grounds = GRANT_GROUNDS if grant else REFUSE_GROUNDS
    if ground not in allowed_grounds:
        errors["ground"] = (
            _("Kies de grond: dezelfde informatie als een ouder met gezag krijgt.")
            if grant
            else _(
                "Kies de grond voor de weigering: ook een ouder met gezag zou dit niet krijgen, "
                "of het belang van het kind."
            )
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if current.status != Status.PENDING:
            raise ValidationError(_("Over dit verzoek is al beslist."))
        today = timezone.localdate()
        current.status = Status.GRANTED if grant else Status.REFUSED
        current.ground = ground
        current.reason = reason[:2000]
        current.decided_by = actor.user
        current.decided_at = timezone.now()
        current.valid_until = today + timedelta(days=GRANT_DAYS) if grant else None
        current.save(update_fields=["status", "ground", "reason", "decided_by", "decided_at", "valid_until"])
    _tell(current)
    return current


def _tell(request: InformationRequest) -> None:
    child = request.child
    url = reverse("circles:information_requests")
    if request.status == Status.GRANTED:
        msgid = gettext_noop("De school geeft u informatie over %(name)s. U kunt de voortgang op school nu lezen.")
    else:
        msgid = gettext_noop("De school geeft u geen informatie over %(name)s. Lees de reden in de app.")
    notify(  # the notification and its e-mail in the parent's language (docs/languages.md)
        request.requester,
        f"information-decided:{request.pk}",
        Text(msgid, **_name(child)),
        url=url,
        email_subject=Text(gettext_noop("Uw informatieverzoek")),
    )
    # 1:377b: the parents with gezag keep the other parent informed; they are told what the school decided.
    requester = request.requester.full_name or request.requester.email
    told = Text(
        gettext_noop("De school heeft een verzoek om informatie over %(name)s van %(who)s beslist: %(status)s."),
        **_name(child),
        who=requester,
        status=Status(request.status).label,
    )
    for g in child.guardianships.filter(information_mode=Guardianship.InformationMode.FULL).select_related("user"):
        notify(
            g.user,
            f"information-decided-gezag:{request.pk}:{g.user_id}",
            told,
            url=reverse("circles:detail", args=[child.pk]),
        )


def deciders(child: Child):
    """The IB'ers and directors of the child's school (the policy's DECIDE_INFORMATION right)."""
    from apps.organisations.models import Membership

    roles = [role for role, rights in SCHOOL_RIGHTS.items() if Action.DECIDE_INFORMATION in rights]
    return [
        m.user
        for m in Membership.objects.effective().filter(school_id=child.school_id, role__in=roles).select_related("user")
        if m.user.is_active
    ]


def may_decide_somewhere(user) -> bool:
    return any(
        m.is_school_role and Action.DECIDE_INFORMATION in SCHOOL_RIGHTS.get(m.role, {}) for m in memberships_of(user)
    )


def my_requests(user):
    """The requester's own requests, with every decision and its reason."""
    return InformationRequest.objects.filter(requester=user).select_related("child", "decided_by")


def askable_children(user):
    """The children this parent may ask about (mode "on request"); the policy decides each request again."""
    return Child.objects.filter(
        guardianships__user=user,
        guardianships__has_authority=False,
        guardianships__information_mode=Guardianship.InformationMode.ON_REQUEST,
    ).order_by("first_name", "pk")


def requests_to_decide(user):
    """Requests about pupils of the schools where this user may decide them (IB'er, director)."""
    schools = [
        m.school_id
        for m in memberships_of(user)
        if m.is_school_role and Action.DECIDE_INFORMATION in SCHOOL_RIGHTS.get(m.role, {})
    ]
    return (
        InformationRequest.objects.filter(Q(child__school_id__in=schools))
        .select_related("child", "requester", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def _name(child) -> dict:
    return {"name": child.first_name}
