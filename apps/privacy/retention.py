"""Retention (R6, R7, R9): a daily, idempotent run that removes or anonymises what has expired.

Periods come from `settings.RETENTION_YEARS` (defaults from docs/domain-rules.md R6, R7, R9). The run walks the
children in batches of
`settings.RETENTION_BATCH_SIZE` (by id), each batch in one transaction that also moves the run's cursor, so an
interrupted run is continued by the next one: nothing is removed twice and a batch is never half done. A child
with a legal hold is skipped. What was removed is recorded as counts in `RetentionRun`, never the content.

- school file, 2 years after leaving: the timeline, the plan, conversations, messages (with attachments) and the
  school's part of the circle, *as far as the school recorded them*;
- absence and enrolment, 5 years after leaving: absence records, sick reports, signals, leave; then the child's
  record is anonymised (name, pupil number, birth day) and the family's links are removed. The row stays
  because the access log refers to it; consents stay as long as the log that cites them;
- youth-care file, 20 years after its last change: what outside professionals recorded;
- the access log, 5 years: only counted here (`expired_access_log_count`). Its rows are removed chain by chain
  up to a checkpoint older than the retention by `manage.py audit_prune`, run as the database owner role: the
  app's role may not delete from the log (docs/audit-log.md, SEC-36).

See docs/inspection-and-retention.md."""

from datetime import datetime, time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from apps.circles.models import Child

from . import rules
from .models import CorrectionRequest, LegalHold, RetentionRun, Statement

ANONYMOUS = "(verwijderd)"


def _outside_users():
    from apps.organisations.models import OUTSIDE_ROLES, Membership

    return Membership.objects.filter(role__in=OUTSIDE_ROLES).values("user_id")


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def expired_access_log_count(today) -> int:
    from apps.audit.models import AccessLogEntry

    return AccessLogEntry.objects.filter(at__lt=_start_of(rules.expired_before(today, "access_log"))).count()


def _add(counts: dict, key: str, n: int) -> None:
    if n:
        counts[key] = counts.get(key, 0) + n


def _delete(counts, key, qs) -> None:
    prefix = "youth_care_" if key.startswith("youth_care_") else ""
    _total, per_model = qs.delete()
    for label, n in per_model.items():
        _add(counts, prefix + label.split(".")[-1].lower(), n)


def _remove_school_file(ids: list[int], counts: dict) -> None:
    """What the school recorded about these children (not what outside professionals recorded)."""
    from apps.circles.models import CircleMember, CoordinatorHandover
    from apps.conversations.models import Conversation, Outcome
    from apps.messaging.models import Attachment, Message, Thread
    from apps.plans.models import Agreement, Goal, PlanChange, PlanVisit
    from apps.timeline.models import TimelineEntry

    outside = _outside_users()
    entries = TimelineEntry.objects.filter(child_id__in=ids).exclude(author_id__in=outside)
    agreements = Agreement.objects.filter(child_id__in=ids).exclude(created_by_id__in=outside)
    conversations = Conversation.objects.filter(child_id__in=ids).exclude(organiser_id__in=outside)
    for kind, qs in (("timeline_entry", entries), ("agreement", agreements), ("conversation", conversations)):
        on_them = Q(target_type=kind, target_id__in=qs.values("pk"))
        _delete(counts, "statement", Statement.objects.filter(on_them))
        _delete(counts, "correctionrequest", CorrectionRequest.objects.filter(on_them))
    _delete(counts, "outcome", Outcome.objects.filter(Q(agreement__in=agreements) | Q(conversation__in=conversations)))
    _delete(counts, "conversation", conversations)
    _delete(counts, "planchange", PlanChange.objects.filter(child_id__in=ids).exclude(by_id__in=outside))
    _delete(counts, "agreement", agreements)
    _delete(counts, "goal", Goal.objects.filter(child_id__in=ids).exclude(created_by_id__in=outside))
    _delete(counts, "planvisit", PlanVisit.objects.filter(child_id__in=ids))
    _delete(counts, "timelineentry", entries)
    threads = Thread.objects.filter(child_id__in=ids).exclude(created_by_id__in=outside)
    attachments = Attachment.objects.filter(message__thread__in=threads)
    for name in attachments.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    _delete(counts, "attachment", attachments)
    _delete(counts, "message", Message.objects.filter(thread__in=threads))
    _delete(counts, "thread", threads)
    _delete(counts, "coordinatorhandover", CoordinatorHandover.objects.filter(child_id__in=ids))
    _delete(counts, "circlemember", CircleMember.objects.filter(child_id__in=ids, organisation__isnull=True))


def _remove_absence_and_anonymise(ids: list[int], counts: dict) -> None:
    from apps.attendance.models import Absence, LeaveRequest, SickReport, Signal
    from apps.circles.models import Guardianship

    for key, model in (
        ("absence", Absence),
        ("sickreport", SickReport),
        ("signal", Signal),
        ("leaverequest", LeaveRequest),
    ):
        _delete(counts, key, model.objects.filter(child_id__in=ids))
    _delete(counts, "guardianship", Guardianship.objects.filter(child_id__in=ids))
    for child in Child.objects.filter(pk__in=ids).exclude(first_name=ANONYMOUS).only("pk", "date_of_birth"):
        Child.objects.filter(pk=child.pk).update(
            first_name=ANONYMOUS,
            last_name="",
            las_key="",
            user=None,
            date_of_birth=child.date_of_birth.replace(month=1, day=1),
        )
        _add(counts, "child_anonymised", 1)


def _remove_youth_care(ids: list[int], today, counts: dict) -> None:
    """What outside professionals recorded, when the last change of that file is 20 years ago."""
    from apps.conversations.models import Conversation
    from apps.plans.models import Agreement, Goal
    from apps.timeline.models import TimelineEntry

    outside = _outside_users()
    sources = (
        (TimelineEntry, "author_id", "updated_at"),
        (Goal, "created_by_id", "updated_at"),
        (Agreement, "created_by_id", "updated_at"),
        (Conversation, "organiser_id", "created_at"),
    )
    last: dict[int, datetime] = {}
    for model, author, changed in sources:
        rows = (
            model.objects.filter(child_id__in=ids, **{f"{author}__in": outside})
            .values("child_id")
            .annotate(last=Max(changed))
        )
        for row in rows:
            last[row["child_id"]] = max(last.get(row["child_id"], row["last"]), row["last"])
    cutoff = _start_of(rules.expired_before(today, "youth_care"))
    expired = [child_id for child_id, at in last.items() if at < cutoff]
    if not expired:
        return
    for model, author, _changed in reversed(sources):
        key = model._meta.model_name
        _delete(counts, f"youth_care_{key}", model.objects.filter(child_id__in=expired, **{f"{author}__in": outside}))


def run_retention(today=None, *, stop_after_batches: int | None = None) -> RetentionRun:
    """Apply retention for `today`; continue an unfinished run first. `stop_after_batches` ends early (as an
    interrupted run would, for the tests and for spreading a first large run over several nights)."""
    run = RetentionRun.objects.filter(finished_at__isnull=True).order_by("pk").first()
    if run is None:
        run = RetentionRun.objects.create(on=today or timezone.localdate())
    today = run.on
    school_cutoff = rules.expired_before(today, "school_file")
    absence_cutoff = rules.expired_before(today, "absence_and_enrolment")
    size = settings.RETENTION_BATCH_SIZE
    done = 0
    while stop_after_batches is None or done < stop_after_batches:
        batch = list(Child.objects.filter(pk__gt=run.last_child_id).order_by("pk").values_list("pk", "left_on")[:size])
        if not batch:
            break
        ids = [pk for pk, _left in batch]
        held = set(
            LegalHold.objects.filter(child_id__in=ids, lifted_at__isnull=True).values_list("child_id", flat=True)
        )
        counts = dict(run.counts)
        with transaction.atomic():
            free = [(pk, left) for pk, left in batch if pk not in held]
            school = [pk for pk, left in free if left is not None and left <= school_cutoff]
            if school:
                _remove_school_file(school, counts)
            absence = [pk for pk, left in free if left is not None and left <= absence_cutoff]
            if absence:
                _remove_absence_and_anonymise(absence, counts)
            _remove_youth_care([pk for pk, _left in free], today, counts)
            run.last_child_id, run.batches, run.counts = ids[-1], run.batches + 1, counts
            run.held += len(held)
            run.save(update_fields=["last_child_id", "batches", "counts", "held"])
        done += 1
    else:
        return run
    run.access_log_expired = expired_access_log_count(today)
    run.finished_at = timezone.now()
    run.save(update_fields=["access_log_expired", "finished_at"])
    return run


def retention_dates(child, today=None) -> dict:
    """What the family sees: until when the school keeps the file, and whether a hold stops removal."""
    today = today or timezone.localdate()
    held = LegalHold.objects.filter(child=child, lifted_at__isnull=True).exists()
    if child.left_on is None:
        return {
            "left": False,
            "held": held,
            "years": rules.retention("school_file"),
            "absence_years": rules.retention("absence_and_enrolment"),
            "youth_care_years": rules.retention("youth_care"),
        }
    return {
        "left": True,
        "held": held,
        "school_file_until": rules.school_file_until(child.left_on),
        "absence_until": rules.absence_and_enrolment_until(child.left_on),
        "youth_care_years": rules.retention("youth_care"),
    }


def place_hold(actor, child, reason: str) -> LegalHold:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from apps.access.policy import Action, authorize

    authorize(actor, Action.LEGAL_HOLD, child, label=_("een bewaarplicht"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom het dossier langer bewaard moet blijven.")})
    return LegalHold.objects.create(child=child, reason=reason[:500], placed_by=actor.user)


def lift_hold(actor, hold: LegalHold) -> LegalHold:
    from django.utils.translation import gettext as _

    from apps.access.policy import Action, authorize

    authorize(actor, Action.LEGAL_HOLD, hold.child, obj=hold, label=_("een bewaarplicht"))
    hold.lifted_by, hold.lifted_at = actor.user, timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    return hold
