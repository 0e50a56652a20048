"""Changing the circle: members come and go, and the coordinator changes only with a handover note."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.notifications.services import notify
from apps.notifications.texts import Text

from .models import Child, CircleMember, CoordinatorHandover


def coordinator_of(child: Child) -> CircleMember | None:
    return next((m for m in child.circle.all() if m.is_coordinator), None)


@transaction.atomic
def add_member(
    *,
    child: Child,
    user,
    role: str,
    since: date | None = None,
    school=None,
    organisation=None,
    make_coordinator: bool = False,
) -> CircleMember:
    if child.circle.current().filter(user=user).exists():
        raise ValidationError(_("Deze persoon zit al in de kring."))
    if make_coordinator and coordinator_of(child) is not None:
        raise ValidationError(_("Er is al een aanspreekpunt. Wissel van aanspreekpunt met een overdrachtsnotitie."))
    return CircleMember.objects.create(
        child=child,
        user=user,
        role=role,
        since=since or timezone.localdate(),
        school=school,
        organisation=organisation,
        is_coordinator=make_coordinator,
    )


@transaction.atomic
def change_coordinator(*, child: Child, new_member, note: str, by) -> CoordinatorHandover:
    """Warm handover: the note is required and the family sees it.

    `new_member` is a circle row, or an outside professional who is in the circle through a consent
    (`referrals.selectors.ConsentMember`); that one gets a row that only carries the coordinator flag:
    their access still follows the consent alone, across organisations."""
    note = (note or "").strip()
    if len(note) < 10:
        raise ValidationError(_("Schrijf een overdrachtsnotitie voor de familie (minstens een paar woorden)."))
    if getattr(new_member, "via_consent", False):
        new_member = _row_for_consent_member(child, new_member)
    if new_member.child_id != child.pk:
        raise ValidationError(_("Deze persoon zit niet in de kring van dit kind."))
    current = CircleMember.objects.select_for_update().filter(child=child, is_coordinator=True).first()
    if current and current.pk == new_member.pk:
        raise ValidationError(_("Deze persoon is al het aanspreekpunt."))
    if new_member.until and new_member.until < timezone.localdate():
        raise ValidationError(_("Deze persoon zit niet meer in de kring."))
    if current:
        CircleMember.objects.filter(pk=current.pk).update(is_coordinator=False)
    CircleMember.objects.filter(pk=new_member.pk).update(is_coordinator=True)
    handover = CoordinatorHandover.objects.create(
        child=child, previous=current.user if current else None, new=new_member.user, note=note, by=by
    )
    for g in child.guardianships.select_related("user"):
        notify(
            g.user,
            f"handover:{handover.pk}",
            Text(
                gettext_noop("%(name)s is nu het aanspreekpunt voor %(child)s."),
                name=new_member.user,
                child=child.first_name,
            ),
            url=f"/kinderen/{child.pk}/",
        )
    return handover


def _row_for_consent_member(child: Child, member) -> CircleMember:
    row = child.circle.current().filter(user=member.user, organisation=member.organisation).first()
    if row is None:
        row = CircleMember.objects.create(
            child=child, user=member.user, role=member.role[:100], organisation=member.organisation
        )
    return row
