"""Writes for youth care in the circle: an organisation assigns one of its workers to a child.

Check, then do: each entry point authorizes through the access policy (logged, refusals too, so the
check stays outside the transaction that a refusal would roll back), then writes in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.policy import Action, authorize
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category, Consent, ConsentEvent, ConsentScope
from apps.notifications.services import notify
from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation, Membership

from . import permissions
from .models import Assignment, JoinRequest


def _works_at(user, organisation) -> bool:
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=[r.value for r in OUTSIDE_ROLES], active=True
    ).exists()


def assign_worker(actor: Actor, *, child: Child, organisation: CareOrganisation, worker) -> Assignment:
    """A colleague (or oneself) of `organisation` starts working with the child under the family's consent
    to that organisation; they are in the circle from now until the consent ends."""
    decision = authorize(actor, Action.ASSIGN, child, label=_("een medewerker toewijzen"))
    if decision.consent is None or decision.consent.organisation_id != organisation.pk:
        raise ValidationError(_("Er is geen geldige toestemming van de familie aan deze organisatie."))
    if not _works_at(actor.user, organisation):
        raise ValidationError(_("U werkt niet bij deze organisatie."))
    if not _works_at(worker, organisation):
        raise ValidationError(_("Deze persoon werkt niet bij %(org)s.") % {"org": organisation})
    try:
        with transaction.atomic():  # the assignment and the family's notifications, or neither
            assignment = Assignment.objects.create(
                child=child, organisation=organisation, worker=worker, assigned_by=actor.user
            )
            for g in child.guardianships.select_related("user"):
                notify(
                    g.user,
                    f"assignment:{assignment.pk}",
                    _("%(name)s van %(org)s werkt nu met %(child)s, met uw toestemming aan %(org)s.")
                    % {"name": worker, "org": organisation, "child": child.first_name},
                    url=f"/kinderen/{child.pk}/",
                )
    except IntegrityError:
        raise ValidationError(_("Deze medewerker is al toegewezen aan dit kind.")) from None
    return assignment


def end_assignment(actor: Actor, assignment: Assignment) -> Assignment:
    """The worker stops working with the child; they leave the circle at once, their entries stay."""
    authorize(actor, Action.ASSIGN, assignment.child, label=_("een toewijzing beëindigen"))
    if not _works_at(actor.user, assignment.organisation):
        raise ValidationError(_("U werkt niet bij deze organisatie."))
    updated = Assignment.objects.filter(pk=assignment.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=actor.user
    )
    if not updated:
        raise ValidationError(_("Deze toewijzing was al beëindigd."))
    assignment.refresh_from_db()
    return assignment


def check_may_end(actor: Actor, assignment: Assignment) -> None:
    """The confirmation page shows the child's name: the same check as ending it (logged)."""
    authorize(actor, Action.ASSIGN, assignment.child, label=_("een toewijzing beëindigen"))


# --- A professional asks to join (issue 10 item 3) -------------------------------------------------------

JOIN_REQUEST_SENT = gettext_lazy("Uw verzoek is naar de school gestuurd. De school neemt contact op met de familie.")
JOIN_REQUEST_CATEGORIES = [Category.BASIC, Category.SUPPORT]


def submit_join_request(user, *, organisation, school, first_name, last_name, date_of_birth) -> JoinRequest:
    """Store the request and tell the school's IB'ers and directors. Nothing about the child is looked up
    here, so the answer to the worker cannot depend on whether the child exists."""
    permissions.check_may_ask(user)
    if organisation not in permissions.asking_organisations(user):
        raise ValidationError(_("U werkt niet bij deze organisatie."))
    with transaction.atomic():
        join_request = JoinRequest.objects.create(
            worker=user,
            organisation=organisation,
            school=school,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
        )
        handlers = (
            Membership.objects.effective()
            .filter(school=school, role__in=[r.value for r in permissions.HANDLING_ROLES])
            .select_related("user")
        )
        for m in handlers:
            notify(
                m.user,
                f"join_request:{join_request.pk}",
                _("%(name)s van %(org)s vraagt om aan de kring van een leerling te worden toegevoegd.")
                % {"name": user, "org": organisation},
                url="/jeugdhulp/verzoeken/",
            )
    return join_request


def matching_pupils(join_request: JoinRequest):
    """Pupils of the request's school with the typed name and birth date (case-insensitive)."""
    return Child.objects.filter(
        school_id=join_request.school_id,
        first_name__iexact=join_request.first_name,
        last_name__iexact=join_request.last_name,
        date_of_birth=join_request.date_of_birth,
        left_on__isnull=True,
    ).select_related("group", "school")


def _open_for_handling(actor: Actor, join_request: JoinRequest) -> JoinRequest:
    permissions.check_may_handle(actor.user, join_request)
    if join_request.status != JoinRequest.Status.OPEN:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    return join_request


def ask_family_consent(actor: Actor, join_request: JoinRequest, child: Child) -> Consent:
    """The IB'er asks the family, in the app, to consent to this worker by name (basic details and support).

    The consent is pending until the right people for the child's age sign it; then the worker is in the
    circle (a consent to a person, `consent.services.valid_consents_by_child`)."""
    _open_for_handling(actor, join_request)
    if child.school_id != join_request.school_id:
        raise ValidationError(_("Deze leerling zit niet op deze school."))
    authorize(actor, Action.MANAGE_CIRCLE, child, label=_("toestemming vragen voor een jeugdhulpverlener"))
    with transaction.atomic():
        updated = JoinRequest.objects.filter(pk=join_request.pk, status=JoinRequest.Status.OPEN).update(
            status=JoinRequest.Status.CONSENT_ASKED, handled_by=actor.user, handled_at=timezone.now(), child=child
        )
        if not updated:
            raise ValidationError(_("Dit verzoek is al afgehandeld."))
        consent = Consent.objects.create(
            child=child,
            organisation=join_request.organisation,
            grantee=join_request.worker,
            purpose=_("Verzoek van %(name)s om in de kring te komen") % {"name": join_request.worker},
            starts_on=timezone.localdate(),
            created_by=actor.user,
        )
        ConsentScope.objects.bulk_create([ConsentScope(consent=consent, category=c) for c in JOIN_REQUEST_CATEGORIES])
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.CREATED, actor=actor.user)
        JoinRequest.objects.filter(pk=join_request.pk).update(consent=consent)
        for g in child.guardianships.select_related("user"):
            notify(
                g.user,
                f"join_request_consent:{consent.pk}",
                _(
                    "%(name)s van %(org)s wil met %(child)s werken. De school vraagt uw toestemming: "
                    "basisgegevens en ondersteuning."
                )
                % {"name": join_request.worker, "org": join_request.organisation, "child": child.first_name},
                url=f"/kinderen/{child.pk}/toestemming/",
            )
    join_request.refresh_from_db()
    return consent


def decline_join_request(actor: Actor, join_request: JoinRequest, reason: str) -> JoinRequest:
    _open_for_handling(actor, join_request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Geef een reden op."))
    updated = JoinRequest.objects.filter(pk=join_request.pk, status=JoinRequest.Status.OPEN).update(
        status=JoinRequest.Status.DECLINED,
        handled_by=actor.user,
        handled_at=timezone.now(),
        decline_reason=reason[:300],
    )
    if not updated:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    join_request.refresh_from_db()
    return join_request
