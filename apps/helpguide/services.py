"""Asking, acknowledging and finishing help questions; escalation of those nobody picked up."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.policy import Action, authorize, log_items
from apps.audit.log import Actor
from apps.notifications.services import notify
from apps.notifications.texts import Text

from . import permissions, rules
from .models import HelpGuide, HelpQuestion, Topic

QUESTION_URL = "/hulpwijzer/vragen/{pk}/"
MY_URL = "/hulpwijzer/mijn-vragen/"


def guide_for(school) -> HelpGuide:
    guide, _created = HelpGuide.objects.get_or_create(school=school)
    return guide


def ask(
    actor: Actor,
    *,
    topic: Topic,
    text: str,
    preferred_contact: str,
    contact_detail: str = "",
    child=None,
    interpreter: bool = False,
    language: str = "",
):
    """Store the question, route it by topic, and tell the person it goes to."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Schrijf uw vraag op."))
    if rules.over_question_limit(actor.user):
        raise ValidationError(
            _(
                "U heeft net al een paar vragen gesteld. Wacht even tot iemand ze oppakt; "
                "uw tekst staat nog in het formulier."
            )
        )
    school = topic.guide.school
    if child is not None:
        if child.school_id != school.pk:
            raise ValidationError(_("Dit kind zit niet op deze school."))
        # outside the transaction: stays logged
        authorize(actor, Action.CREATE, child, permissions.QUESTION_CATEGORY, label=_("een hulpvraag"))
    with transaction.atomic():
        question = _store_question(actor, topic, text, preferred_contact, contact_detail, child)
        if interpreter or language:
            HelpQuestion.objects.filter(pk=question.pk).update(interpreter=interpreter, language=language.strip()[:100])
            question.interpreter, question.language = interpreter, language.strip()[:100]
        return question


def _store_question(actor, topic, text, preferred_contact, contact_detail, child):
    school = topic.guide.school
    now = timezone.now()
    handler = rules.route(topic, child)
    question = HelpQuestion.objects.create(
        school=school,
        topic=topic,
        asker=actor.user,
        child=child,
        text=text,
        preferred_contact=preferred_contact,
        contact_detail=contact_detail.strip()[:200],
        assigned_to=handler,
        created_at=now,
        due_at=rules.add_school_days(
            now, topic.guide.ack_school_days, rules.school_holidays(school.pk, timezone.localtime(now).date())
        ),
    )
    transaction.on_commit(lambda: _schedule_escalation(question.due_at))
    if handler:
        notify(
            handler,
            f"helpq-new:{question.pk}",
            Text(
                gettext_noop("Nieuwe hulpvraag over %(topic)s. Graag oppakken vóór %(due)s."),
                topic=topic.name,
                due=timezone.localtime(question.due_at).strftime("%d-%m %H:%M"),
            ),
            url=QUESTION_URL.format(pk=question.pk),
            email_subject=Text(gettext_noop("Nieuwe hulpvraag in Driehoek")),
        )
    return question


def _schedule_escalation(due_at) -> bool:
    """Plan an escalation run just after the deadline (backends that can defer). The periodic command
    `escalate_help_questions` covers the rest; escalation is idempotent, so an extra run changes nothing."""
    from datetime import timedelta

    from .tasks import escalate_help_questions_task

    if not escalate_help_questions_task.get_backend().supports_defer:
        return False
    escalate_help_questions_task.using(run_after=due_at + timedelta(minutes=1)).enqueue()
    return True


def _check_version(question: HelpQuestion, version) -> None:
    if version is not None and int(version) != question.version:
        raise ValidationError(_("Iemand anders heeft deze vraag net bijgewerkt. Bekijk de nieuwe stand."))


def log_shown(actor: Actor, questions, label) -> None:
    """Log the children of a list of questions (those about a child), under the questions' category."""
    log_items(actor, [(q.child, permissions.QUESTION_CATEGORY) for q in questions if q.child_id], label)


def _as_actor(user_or_actor) -> Actor:
    return user_or_actor if isinstance(user_or_actor, Actor) else Actor(user=user_or_actor)


def _check_handler(actor: Actor, question: HelpQuestion) -> None:
    """Routed, escalated or editor (`permissions.may_handle`), and for a question about a child the policy's
    decision on changing it, logged. Refusals are PermissionDenied, never a validation error."""
    if not permissions.may_handle(actor.user, question):
        raise PermissionDenied(_("Deze vraag is niet aan u toegewezen."))
    permissions.authorize_question(actor, Action.CHANGE, question)


def acknowledge(user, question: HelpQuestion, version=None) -> HelpQuestion:
    """`user` is the person or their Actor (web, api: the access log records which)."""
    actor = _as_actor(user)
    _check_handler(actor, question)  # outside the transaction: a refusal stays in the log
    return _acknowledge(actor.user, question, version)


@transaction.atomic
def _acknowledge(user, question: HelpQuestion, version) -> HelpQuestion:
    question = HelpQuestion.objects.select_for_update().get(pk=question.pk)
    if not permissions.may_handle(user, question):  # re-checked on the locked row
        raise PermissionDenied(_("Deze vraag is niet aan u toegewezen."))
    _check_version(question, version)
    if question.status != HelpQuestion.Status.RECEIVED:
        raise ValidationError(_("Deze vraag is al opgepakt."))
    now = timezone.now()
    HelpQuestion.objects.filter(pk=question.pk).update(
        status=HelpQuestion.Status.TAKEN,
        acknowledged_at=now,
        acknowledged_by=user,
        assigned_to=user,
        version=F("version") + 1,
    )
    notify(
        question.asker,
        f"helpq-taken:{question.pk}",
        Text(gettext_noop("%(name)s heeft uw vraag over %(topic)s opgepakt."), name=user, topic=question.topic.name),
        url=MY_URL,
        email_subject=Text(gettext_noop("Uw hulpvraag is opgepakt")),
    )
    question.refresh_from_db()
    return question


def complete(user, question: HelpQuestion, version=None) -> HelpQuestion:
    """`user` is the person or their Actor (web, api: the access log records which)."""
    actor = _as_actor(user)
    _check_handler(actor, question)  # outside the transaction: a refusal stays in the log
    return _complete(actor.user, question, version)


@transaction.atomic
def _complete(user, question: HelpQuestion, version) -> HelpQuestion:
    question = HelpQuestion.objects.select_for_update().get(pk=question.pk)
    if not permissions.may_handle(user, question):  # re-checked on the locked row
        raise PermissionDenied(_("Deze vraag is niet aan u toegewezen."))
    _check_version(question, version)
    if question.status == HelpQuestion.Status.DONE:
        raise ValidationError(_("Deze vraag is al afgerond."))
    now = timezone.now()
    updates = {"status": HelpQuestion.Status.DONE, "done_at": now, "version": F("version") + 1}
    if question.acknowledged_at is None:
        updates.update(acknowledged_at=now, acknowledged_by=user, assigned_to=user)
    HelpQuestion.objects.filter(pk=question.pk).update(**updates)
    notify(
        question.asker,
        f"helpq-done:{question.pk}",
        Text(gettext_noop("Uw vraag over %(topic)s is afgerond door %(name)s."), name=user, topic=question.topic.name),
        url=MY_URL,
    )
    question.refresh_from_db()
    return question


def escalate_overdue(now=None) -> int:
    """Questions nobody acknowledged in time go to the coordinator or the IB'er, once. Safe to re-run."""
    now = now or timezone.now()
    count = 0
    overdue = HelpQuestion.objects.filter(
        status=HelpQuestion.Status.RECEIVED, acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lt=now
    ).select_related("topic", "child", "school")
    for question in overdue:
        target = rules.escalation_target(question)
        with transaction.atomic():
            updated = HelpQuestion.objects.filter(pk=question.pk, escalated_at__isnull=True).update(
                escalated_at=now, escalated_to=target
            )
            if not updated:
                continue
            if target:
                notify(
                    target,
                    f"helpq-escalated:{question.pk}",
                    Text(
                        gettext_noop(
                            "Een hulpvraag over %(topic)s is niet op tijd opgepakt. "
                            "Wilt u ervoor zorgen dat het gebeurt?"
                        ),
                        topic=question.topic.name,
                    ),
                    url=QUESTION_URL.format(pk=question.pk),
                    email_subject=Text(gettext_noop("Hulpvraag wacht te lang")),
                )
            count += 1
    return count


def unacknowledged_counts(user, now=None) -> dict[str, int]:
    """Questions routed or escalated to me that nobody has picked up yet, and how many of those are past
    their acknowledge-by time (`rules.is_overdue`, as a query). A question about a child I may no longer
    see is not counted; only professionals handle questions."""
    if not permissions.handles_questions(user):
        return {"waiting": 0, "overdue": 0}
    now = now or timezone.now()
    return (
        HelpQuestion.objects.filter(status=HelpQuestion.Status.RECEIVED, acknowledged_at__isnull=True)
        .filter(Q(assigned_to=user) | Q(escalated_to=user))
        .filter(permissions.about_visible_child(user))
        .aggregate(waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    )


# --- translated content (docs/translation.md) -----------------------------------------------------------------------


def step_parts(step) -> list[str]:
    """The parts of a step that are translated, in this order (title, what you can do, what happens next)."""
    return [step.title, step.description, step.what_next]


def step_versions(step) -> dict[str, list[str]]:
    """{language: parts} of the versions the school wrote by hand."""
    return {v.language: [v.title, v.description, v.what_next] for v in step.versions.all()}


def save_step_version(step, language: str, title: str, description: str, what_next: str):
    """Write (or rewrite) a step in another language. Who may: decided by the view (`may_edit_guide`)."""
    from .models import StepVersion

    version, _created = StepVersion.objects.update_or_create(
        step=step,
        language=language,
        defaults={"title": title, "description": description, "what_next": what_next, "updated_at": timezone.now()},
    )
    return version
