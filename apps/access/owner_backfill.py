"""The data migrations' backfill of record owners (docs/record-owner.md), on historical models only.

The owner of an existing record is the author's membership: a school role at the child's school gives that
school, an outside role (youth care, jeugdarts, leerplicht) that organisation; a family member or an author
without a membership gives the child's school. Idempotent: only records without an owner are filled in."""

OUTSIDE_ROLES = ("youth_worker", "doctor", "attendance_officer")
SCHOOL_ROLES = ("teacher", "ib", "director", "school_admin")
BATCH = 500


def _memberships(apps, user_ids):
    Membership = apps.get_model("organisations", "Membership")
    by_user: dict[int, list] = {}
    for m in Membership.objects.filter(user_id__in=user_ids).order_by("-active", "pk"):
        by_user.setdefault(m.user_id, []).append((m.role, m.school_id, m.organisation_id))
    return by_user


def owner_fields(memberships, child_school_id, fallback=None) -> dict:
    for role, school_id, _org in memberships:
        if role in SCHOOL_ROLES and school_id == child_school_id:
            return {"owner_school_id": school_id, "owner_organisation_id": None}
    for role, _school, org_id in memberships:
        if role in OUTSIDE_ROLES and org_id:
            return {"owner_school_id": None, "owner_organisation_id": org_id}
    if fallback and (fallback.get("owner_school_id") or fallback.get("owner_organisation_id")):
        return fallback
    return {"owner_school_id": child_school_id, "owner_organisation_id": None}


def backfill(apps, app_label, model_name, *, author, child="child", parent=None):
    """Fill in the owner of every record of `model_name` that has none, in batches.

    `author`: the field holding the author; `child`: the path to the child; `parent`: the path to a record
    whose owner a family member's record joins (a message joins its thread)."""
    Model = apps.get_model(app_label, model_name)
    pending = Model.objects.filter(owner_school__isnull=True, owner_organisation__isnull=True)
    values = ["pk", author + "_id" if author else "pk", f"{child}__school_id"]
    if parent:
        values += [f"{parent}__owner_school_id", f"{parent}__owner_organisation_id"]
    last = 0
    while True:
        rows = list(pending.filter(pk__gt=last).order_by("pk").values_list(*values)[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        memberships = _memberships(apps, {r[1] for r in rows}) if author else {}
        for row in rows:
            fallback = {"owner_school_id": row[3], "owner_organisation_id": row[4]} if parent else None
            fields = owner_fields(memberships.get(row[1], []) if author else [], row[2], fallback)
            Model.objects.filter(pk=row[0]).update(**fields)


def backfill_from_parent(apps, app_label, model_name, parent):
    """Records that always belong to their parent record's owner (an attachment to its message)."""
    Model = apps.get_model(app_label, model_name)
    pending = Model.objects.filter(owner_school__isnull=True, owner_organisation__isnull=True)
    fields = ("pk", f"{parent}__owner_school_id", f"{parent}__owner_organisation_id")
    last = 0
    while True:
        rows = list(pending.filter(pk__gt=last).order_by("pk").values_list(*fields)[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        for pk, school_id, org_id in rows:
            Model.objects.filter(pk=pk).update(owner_school_id=school_id, owner_organisation_id=org_id)
