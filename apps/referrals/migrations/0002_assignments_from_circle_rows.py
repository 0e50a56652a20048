"""Before assignments existed, a circle row (added by the school) stood for "this worker of the organisation
works with this child". Keep what families consented to working: every current circle row of an outside
professional at their own organisation becomes an assignment. The rows themselves no longer grant anything."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

OUTSIDE_ROLES = ("youth_worker", "doctor", "attendance_officer")


def forwards(apps, schema_editor):
    CircleMember = apps.get_model("circles", "CircleMember")
    Membership = apps.get_model("organisations", "Membership")
    Assignment = apps.get_model("referrals", "Assignment")
    today = timezone.localdate()
    rows = CircleMember.objects.filter(organisation__isnull=False, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gte=today)
    )
    for row in rows.iterator():
        works_there = Membership.objects.filter(
            user_id=row.user_id, organisation_id=row.organisation_id, role__in=OUTSIDE_ROLES, active=True
        ).exists()
        exists = Assignment.objects.filter(
            child_id=row.child_id, organisation_id=row.organisation_id, worker_id=row.user_id, ended_at__isnull=True
        ).exists()
        if works_there and not exists:
            Assignment.objects.create(
                child_id=row.child_id,
                organisation_id=row.organisation_id,
                worker_id=row.user_id,
                assigned_by_id=row.user_id,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("circles", "0002_pupil_keys_left_gezag_status"),
        ("organisations", "0002_boards_schools_groups_keys"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
