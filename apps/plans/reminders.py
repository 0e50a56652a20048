"""Reminders for agreements: the owner before the date, the coordinator when it passes undone.

Safe to run as often as you like: each reminder has a deterministic notification key, so a second
run (or two workers at once) sends nothing twice. Every reminder reads the plan on behalf of the
person it goes to, through the access policy (channel "job"), so it is logged and follows consent.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.policy import Action, authorize, decide
from apps.audit.log import Actor
from apps.circles.services import coordinator_of
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.texts import Text

from .models import Agreement, AgreementStatus, Goal
from .services import PLAN_CATEGORY

DEFAULT_DAYS_BEFORE = 3


@dataclass
class ReminderResult:
    due_soon: int = 0
    overdue: int = 0
    evaluations: int = 0
    opps: int = 0
    skipped: int = 0


def due_key(agreement: Agreement) -> str:
    return f"agreement-due:{agreement.pk}:{agreement.due.isoformat()}"


def overdue_key(agreement: Agreement) -> str:
    return f"agreement-overdue:{agreement.pk}:{agreement.due.isoformat()}"


def _send(recipient, obj, key: str, text: Text, subject: Text, intro: Text | None = None) -> bool:
    """Notify once per key, only when the recipient may still see the plan (decided and logged)."""
    if Notification.objects.filter(user=recipient, key=key).exists():
        return False
    child = obj.child
    if not decide(recipient, Action.VIEW, child, PLAN_CATEGORY).allowed:
        return False
    is_goal = isinstance(obj, Goal)
    authorize(
        Actor(user=recipient, channel="job"),
        Action.VIEW,
        child,
        PLAN_CATEGORY,
        obj=obj,
        label=_("een herinnering over een doel in het plan")
        if is_goal
        else _("een herinnering over een afspraak in het plan"),
    )
    url = reverse("plans:child", args=[child.pk]) + ("" if is_goal else f"#afspraak-{obj.pk}")
    # The e-mail says little on purpose: details stay behind the log-in.
    body = Text(  # rendered in the recipient's language when queued (docs/languages.md)
        gettext_noop("%(text)s\n\nBekijk het plan in Driehoek: %(site)s%(url)s"),
        text=intro or Text(gettext_noop("Er is een afspraak in het plan waar u bij betrokken bent.")),
        site=settings.SITE_URL,
        url=url,
    )
    return notify(recipient, key, text, url=url, email_subject=subject, email_body=body) is not None


def evaluate_key(goal: Goal) -> str:
    return f"goal-evaluate:{goal.pk}:{goal.evaluate_on.isoformat()}"


def send_plan_reminders(today: date | None = None, days_before: int | None = None) -> ReminderResult:
    with translation.override(settings.LANGUAGE_CODE):  # stored notifications are in Dutch, as everywhere
        return _send_plan_reminders(today, days_before)


def _send_plan_reminders(today: date | None, days_before: int | None) -> ReminderResult:
    """Remind owners `days_before` days ahead (and up to the date); tell the coordinator when an agreement
    is overdue and when a goal is to be evaluated soon."""
    today = today or timezone.localdate()
    if days_before is None:
        days_before = getattr(settings, "PLAN_REMINDER_DAYS", DEFAULT_DAYS_BEFORE)
    result = ReminderResult()
    open_agreements = Agreement.objects.filter(status=AgreementStatus.OPEN).select_related("child", "owner")
    for a in open_agreements.filter(due__gte=today, due__lte=today + timedelta(days=days_before)).iterator():
        text = Text(
            gettext_noop("Herinnering: “%(what)s” voor %(name)s, uiterlijk %(due)s."),
            what=a.what[:120],
            name=a.child.first_name,
            due=a.due,
        )
        if _send(a.owner, a, due_key(a), text, Text(gettext_noop("Herinnering: een afspraak in het plan"))):
            result.due_soon += 1
        else:
            result.skipped += 1
    for a in open_agreements.filter(due__lt=today).prefetch_related("child__circle").iterator(chunk_size=200):
        coordinator = coordinator_of(a.child)
        if coordinator is None:
            result.skipped += 1
            continue
        text = Text(
            gettext_noop("Niet afgerond: “%(what)s” (%(owner)s) voor %(name)s stond op %(due)s."),
            what=a.what[:120],
            owner=a.owner.full_name or a.owner.email,
            name=a.child.first_name,
            due=a.due,
        )
        subject = Text(gettext_noop("Een afspraak in het plan is niet afgerond"))
        if _send(coordinator.user, a, overdue_key(a), text, subject):
            result.overdue += 1
        else:
            result.skipped += 1
    goals = Goal.objects.filter(
        evaluation="", evaluate_on__gte=today, evaluate_on__lte=today + timedelta(days=days_before)
    )
    for goal in goals.select_related("child").prefetch_related("child__circle", "child__guardianships"):
        coordinator = coordinator_of(goal.child)
        if coordinator is None:
            result.skipped += 1
            continue
        text = Text(
            gettext_noop("Evalueren: het doel “%(text)s” van %(name)s staat op %(on)s."),
            text=goal.text[:120],
            name=goal.child.first_name,
            on=goal.evaluate_on,
        )
        intro = Text(gettext_noop("Binnenkort wordt een doel in het plan geëvalueerd."))
        subject = Text(gettext_noop("Een doel in het plan evalueren"))
        if _send(coordinator.user, goal, evaluate_key(goal), text, subject, intro):
            result.evaluations += 1
        else:
            result.skipped += 1
    _send_opp_reminders(today, result)
    return result


OPP_DAYS_BEFORE = 7
EVALUATION_DAYS_BEFORE = 30


def _send_opp_reminders(today: date, result: ReminderResult) -> None:
    """The IB'er who started an OPP: a week before its 6 weeks end, when they passed, and a month before the
    yearly evaluation is due while none is planned (docs/opp.md)."""
    from .opp import rules
    from .opp_models import Opp

    opps = (
        Opp.objects.filter(child__left_on__isnull=True)
        .select_related("child", "created_by", "evaluation")
        .prefetch_related("versions", "child__guardianships")
    )
    for opp in opps.iterator(chunk_size=200):
        established = [v for v in opp.versions.all() if v.established_at is not None]
        due = rules.opp_due_on(opp.needed_since)
        if not established and due - timedelta(days=OPP_DAYS_BEFORE) <= today:
            late = today > due
            key = f"opp-{'late' if late else 'due'}:{opp.pk}:{due.isoformat()}"
            text = Text(
                gettext_noop("Het OPP van %(name)s had op %(due)s vastgesteld moeten zijn.")
                if late
                else gettext_noop("Het OPP van %(name)s moet uiterlijk %(due)s vastgesteld zijn."),
                name=opp.child.first_name,
                due=due,
            )
        elif established:
            last = max(v.established_at for v in established).date()
            evaluate_on = rules.evaluation_due_on(last)
            planned = opp.evaluation is not None and opp.evaluation.starts_at.date() >= today
            if planned or evaluate_on - timedelta(days=EVALUATION_DAYS_BEFORE) > today:
                continue
            key = f"opp-evaluate:{opp.pk}:{evaluate_on.isoformat()}"
            text = Text(
                gettext_noop("Plan de jaarlijkse evaluatie van het OPP van %(name)s met de ouders (uiterlijk %(on)s)."),
                name=opp.child.first_name,
                on=evaluate_on,
            )
        else:
            continue
        if _send_opp(opp, key, text):
            result.opps += 1
        else:
            result.skipped += 1


def _send_opp(opp, key: str, text: Text) -> bool:
    recipient, child = opp.created_by, opp.child
    if Notification.objects.filter(user=recipient, key=key).exists():
        return False
    if not decide(recipient, Action.DRAFT_OPP, child, PLAN_CATEGORY).allowed:
        return False
    authorize(
        Actor(user=recipient, channel="job"), Action.VIEW, child, PLAN_CATEGORY, obj=opp,
        label=_("een herinnering over het OPP"),
    )  # fmt: skip
    url = reverse("plans:opp", args=[child.pk])
    body = Text(
        gettext_noop("%(text)s\n\nBekijk het OPP in Driehoek: %(site)s%(url)s"),
        text=Text(gettext_noop("Er is een OPP dat uw aandacht vraagt.")),
        site=settings.SITE_URL,
        url=url,
    )
    subject = Text(gettext_noop("Een OPP vraagt uw aandacht"))
    return notify(recipient, key, text, url=url, email_subject=subject, email_body=body) is not None
