"""Writes for youth care in the circle: an organisation assigns one of its workers to a child.

Check, then do: each entry point authorizes through the access policy (logged, refusals too, so the
check stays outside the transaction that a refusal would roll back), then writes in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.policy import Action, authorize
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.notifications.services import notify
from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation, Membership

from .models import Assignment


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
