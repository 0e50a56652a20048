"""Whose information a record is: the organisation that recorded it (docs/record-owner.md).

Every record about a child (timeline entries, goals and agreements, conversations and their notes, message
threads, messages and attachments, absence signals) carries its owner: the school or the youth-care
organisation that recorded it. The access policy decides on it (`policy.owner_allows`, R3): a school reads
what the school recorded; what a youth-care organisation recorded reaches the school only through a consent
given to the school. A record without an owner counts as recorded by the child's school (the same rule as the
data migrations' backfill).
"""

from dataclasses import dataclass

from django.db import models

from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation, School


class OwnedRecord(models.Model):
    """The owner organisation of a record: a school or a youth-care organisation (at most one of them)."""

    owner_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_organisation = models.ForeignKey(
        CareOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def set_owner(self, owner: "Owner") -> None:
        self.owner_school_id = owner.school_id
        self.owner_organisation_id = owner.organisation_id

    @property
    def owner(self) -> "Owner":
        return Owner(self.owner_school_id, self.owner_organisation_id)

    @property
    def owner_name(self) -> str:
        return str(self.owner_organisation or self.owner_school or "")


@dataclass(frozen=True)
class Owner:
    school_id: int | None = None
    organisation_id: int | None = None

    @property
    def is_care(self) -> bool:
        return self.organisation_id is not None

    def as_fields(self) -> dict:
        return {"owner_school_id": self.school_id, "owner_organisation_id": self.organisation_id}


def owner_of(obj) -> Owner | None:
    """The owner of a record, or None for objects that carry no owner (the child, a guardianship…)."""
    if obj is None or not hasattr(obj, "owner_school_id") or not hasattr(obj, "owner_organisation_id"):
        return None
    return Owner(obj.owner_school_id, obj.owner_organisation_id)


def owner_for_author(user, child, fallback: Owner | None = None) -> Owner:
    """The organisation a new record belongs to: the author's membership in the acting context.

    School staff of the child's school record for the school; an outside professional for their organisation
    (the one whose consent brings them in, else their first outside membership). Family members are no
    organisation: their record joins `fallback` (e.g. the thread's owner for a message) or the child's school."""
    from apps.access.policy import memberships_of  # the policy imports this module

    memberships = memberships_of(user) if getattr(user, "is_authenticated", False) else []
    for m in memberships:
        if m.is_school_role and m.school_id == child.school_id:
            return Owner(school_id=m.school_id)
    outside = [m for m in memberships if m.role in OUTSIDE_ROLES and m.organisation_id]
    if outside:
        from apps.consent.models import Consent

        org_ids = [m.organisation_id for m in outside]
        consented = (
            Consent.objects.filter(child=child, organisation_id__in=org_ids, revoked_at__isnull=True)
            .order_by("-created_at")
            .values_list("organisation_id", flat=True)
            .first()
        )
        return Owner(organisation_id=consented or org_ids[0])
    if fallback is not None and (fallback.school_id or fallback.organisation_id):
        return fallback
    return Owner(school_id=child.school_id)
