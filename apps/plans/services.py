"""Rules of the one shared plan: goals, agreements, their status, and the change history.

Every read and write goes through the access policy (category "support & plan") so it is logged;
every change writes a PlanChange line so the circle can see "what changed since your last visit".
Edits compare a `version` number: a stale form never overwrites someone else's change.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.owner import owner_for_author
from apps.access.policy import Action, authorize, decide, visible_q
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.circles.services import coordinator_of
from apps.consent.models import Category
from apps.core.extensions import visible_child_ids
from apps.core.versioning import StaleEdit
from apps.notifications import menu_counts
from apps.notifications.texts import Text
from apps.referrals.selectors import consent_members

from .models import Agreement, AgreementStatus, Goal, PlanChange, PlanVisit

PLAN_CATEGORY = Category.SUPPORT
MAX_TEXT = 500


def stored_language():
    """History lines and notifications are stored text that others read later: write them in the
    site's language (Dutch), not in the language of whoever made the change."""
    return translation.override(settings.LANGUAGE_CODE)


# --- who is in the circle ---------------------------------------------------------------------


def circle_user_filter(child: Child, on: date | None = None) -> Q:
    """People who can own an agreement: guardians, the child's own account, the school's people in the circle,
    and outside professionals in the circle through a valid consent that covers the plan (docs/youth-care.md;
    a circle row of an outside professional grants nothing by itself)."""
    on = on or timezone.localdate()
    members = child.circle.current(on).filter(organisation__isnull=True).values("user_id")
    via_consent = [m.user.pk for m in consent_members(child, on) if PLAN_CATEGORY in m.categories]
    condition = Q(guardianships__child=child) | Q(pk__in=members) | Q(pk__in=via_consent)
    if child.user_id:
        condition |= Q(pk=child.user_id)
    return condition


def circle_users(child: Child, on: date | None = None):
    User = get_user_model()
    return User.objects.filter(circle_user_filter(child, on)).distinct().order_by("full_name", "email")


def owner_roles(child: Child) -> dict[int, str]:
    """Who each person is for this child ("moeder", "IB'er", "zelf"), to choose the right owner."""
    roles = {m.user_id: m.role for m in child.circle.current()}
    roles.update({m.user.pk: f"{m.role}, {m.organisation}" for m in consent_members(child)})
    roles.update({g.user_id: str(g.get_relation_display()) for g in child.guardianships.all()})
    if child.user_id:
        roles[child.user_id] = _("zelf")
    return roles


def is_in_circle(user, child: Child, on: date | None = None) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    return circle_users(child, on).filter(pk=user.pk).exists()


# --- validation -------------------------------------------------------------------------------


def _clean_text(value, field: str, errors: dict, *, required=True, empty_message="") -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = empty_message or _("Dit veld is verplicht.")
    elif len(value) > MAX_TEXT:
        errors[field] = _("Houd het kort: hoogstens %(n)d tekens.") % {"n": MAX_TEXT}
    return value


def _clean_date(value, field: str, errors: dict, empty_message: str) -> date | None:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str) and value:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            errors[field] = _("Vul een geldige datum in.")
            return None
    if not value:
        errors[field] = empty_message
        return None
    return value


def _label(child: Child) -> str:
    return _("het plan van %(name)s") % {"name": child.first_name}


def _record(child, kind, summary, by, *, goal=None, agreement=None) -> PlanChange:
    return PlanChange.objects.create(
        child=child, kind=kind, summary=summary[:600], by=by, goal=goal, agreement=agreement
    )


def _actor_user(actor: Actor):
    return actor.user


# --- agreements -------------------------------------------------------------------------------


def add_agreement(actor: Actor, child: Child, *, what: str, owner, due, goal: Goal | None = None) -> Agreement:
    """Add an agreement to the child's plan. The owner must be someone in the child's circle
    (a guardian, the child, or a current circle member) and the date may not lie in the past."""
    authorize(actor, Action.CREATE, child, PLAN_CATEGORY, label=_("een afspraak in %(plan)s") % {"plan": _label(child)})
    errors: dict = {}
    what = _clean_text(what, "what", errors, empty_message=_("Schrijf op wat er is afgesproken."))
    due = _clean_date(due, "due", errors, _("Vul in wanneer het klaar moet zijn."))
    if due and due < timezone.localdate():
        errors["due"] = _("De datum ligt in het verleden. Kies vandaag of een latere datum.")
    if owner is None:
        errors["owner"] = _("Kies wie deze afspraak uitvoert.")
    elif not is_in_circle(owner, child):
        errors["owner"] = _("Deze persoon hoort niet bij de kring van %(name)s.") % {"name": child.first_name}
    if goal is not None and goal.child_id != child.pk:
        errors["goal"] = _("Dit doel hoort niet bij dit kind.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        return _create_agreement(actor, child, what=what, owner=owner, due=due, goal=goal)


def _create_agreement(actor, child, *, what, owner, due, goal) -> Agreement:
    agreement = Agreement.objects.create(
        child=child,
        goal=goal,
        what=what,
        owner=owner,
        due=due,
        created_by=_actor_user(actor),
        **owner_for_author(_actor_user(actor), child).as_fields(),  # docs/record-owner.md
    )
    _record(
        child,
        PlanChange.Kind.AGREEMENT_ADDED,
        _("Nieuwe afspraak: %(what)s (%(owner)s, uiterlijk %(due)s)")
        % {"what": what, "owner": _display(owner), "due": due.strftime("%d-%m-%Y")},
        _actor_user(actor),
        agreement=agreement,
    )
    if owner.pk != _actor_user(actor).pk:
        _tell(
            owner,
            f"agreement-new:{agreement.pk}",
            Text(
                gettext_noop("Nieuwe afspraak voor u in het plan van %(name)s: %(what)s"),
                name=child.first_name,
                what=what,
            ),
            child,
            f"#afspraak-{agreement.pk}",
        )
    return agreement


def _tell(user, key: str, text: Text, child: Child, anchor: str = "") -> None:
    """An in-app notification (counter in the menu) for someone who may see the plan; never twice."""
    from django.urls import reverse

    from apps.notifications.services import notify

    if user is None or not decide(user, Action.VIEW, child, PLAN_CATEGORY).allowed:
        return
    notify(user, key, text, url=reverse("plans:child", args=[child.pk]) + anchor)


def _display(user) -> str:
    return getattr(user, "full_name", "") or getattr(user, "email", "")


def set_agreement_status(
    actor: Actor, agreement: Agreement, status: str, reason: str = "", expected_version: int | None = None
) -> Agreement:
    """Mark an agreement done, not done, dropped (a reason is required) or open again.

    With `expected_version`, a change made meanwhile by someone else raises StaleEdit instead of
    being overwritten."""
    child = agreement.child
    authorize(
        actor,
        Action.CHANGE,
        child,
        PLAN_CATEGORY,
        obj=agreement,
        label=_("een afspraak in %(plan)s") % {"plan": _label(child)},
    )
    errors: dict = {}
    if status not in AgreementStatus.values:
        errors["status"] = _("Kies een geldige status.")
    reason = _clean_text(reason, "reason", errors, required=False)
    if status == AgreementStatus.DROPPED and not reason:
        errors["reason"] = _("Schrijf op waarom deze afspraak vervalt.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        current = _save_status(actor, agreement, status, reason, expected_version)
    agreement.status, agreement.reason, agreement.version = current.status, current.reason, current.version
    agreement.updated_at = current.updated_at
    return current


def _save_status(actor, agreement, status, reason, expected_version) -> Agreement:
    child = agreement.child
    current = Agreement.objects.select_for_update().select_related("owner").get(pk=agreement.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise StaleEdit(current)
    if current.status == status and current.reason == reason:
        return current  # nothing changed: no history line, no notification
    old_label, old_status = current.get_status_display(), current.status
    Agreement.objects.filter(pk=current.pk, version=current.version).update(
        status=status, reason=reason, version=F("version") + 1, updated_at=timezone.now()
    )
    menu_counts.forget([current.owner_id])  # "Mijn afspraken" in the owner's menu; update() sends no signal
    menu_counts.forget_child(current.child_id)  # the child page's "open afspraken"
    current.refresh_from_db()
    summary = _("Afspraak “%(what)s”: %(old)s → %(new)s") % {
        "what": current.what,
        "old": old_label,
        "new": current.get_status_display(),
    }
    if reason:
        summary += " (" + reason + ")"
    _record(child, PlanChange.Kind.AGREEMENT_STATUS, summary, _actor_user(actor), agreement=current)
    coordinator = coordinator_of(child)
    if coordinator is not None and coordinator.user_id != _actor_user(actor).pk:
        changed = Text(  # the status labels translated when read (docs/languages.md)
            gettext_noop("Afspraak “%(what)s”: %(old)s → %(new)s"),
            what=current.what,
            old=AgreementStatus(old_status).label,
            new=AgreementStatus(current.status).label,
        )
        if reason:
            changed = Text("%(summary)s (%(reason)s)", summary=changed, reason=reason)
        _tell(
            coordinator.user,
            f"agreement-status:{current.pk}:{current.version}",
            Text(
                gettext_noop("%(who)s in het plan van %(name)s: %(summary)s"),
                who=_display(_actor_user(actor)),
                name=child.first_name,
                summary=changed,
            ),
            child,
            f"#afspraak-{current.pk}",
        )
    return current


def change_agreement(actor: Actor, agreement: Agreement, *, what: str, owner, due, expected_version) -> Agreement:
    """Change what was agreed, who does it or by when, with the same rules as adding one: the owner
    must be in the circle and a changed date may not lie in the past (an unchanged old date may stay,
    so fixing a typo in an overdue agreement is possible). A stale form raises StaleEdit; the change
    is written to the plan's history and a new owner is told."""
    child = agreement.child
    authorize(
        actor,
        Action.CHANGE,
        child,
        PLAN_CATEGORY,
        obj=agreement,
        label=_("een afspraak in %(plan)s") % {"plan": _label(child)},
    )
    errors: dict = {}
    what = _clean_text(what, "what", errors, empty_message=_("Schrijf op wat er is afgesproken."))
    due = _clean_date(due, "due", errors, _("Vul in wanneer het klaar moet zijn."))
    if owner is None:
        errors["owner"] = _("Kies wie deze afspraak uitvoert.")
    elif not is_in_circle(owner, child):
        errors["owner"] = _("Deze persoon hoort niet bij de kring van %(name)s.") % {"name": child.first_name}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        current = _save_agreement(actor, agreement, what, owner, due, expected_version)
    agreement.what, agreement.owner, agreement.due = current.what, current.owner, current.due
    agreement.version, agreement.updated_at = current.version, current.updated_at
    return current


def _save_agreement(actor, agreement, what, owner, due, expected_version) -> Agreement:
    child = agreement.child
    current = Agreement.objects.select_for_update().select_related("owner").get(pk=agreement.pk)
    if current.version != int(expected_version):
        raise StaleEdit(current)
    if due != current.due and due < timezone.localdate():
        raise ValidationError({"due": _("De datum ligt in het verleden. Kies vandaag of een latere datum.")})
    parts = []
    if what != current.what:
        parts.append(_("wat: “%(old)s” → “%(new)s”") % {"old": current.what, "new": what})
    if owner.pk != current.owner_id:
        parts.append(_("wie: %(old)s → %(new)s") % {"old": _display(current.owner), "new": _display(owner)})
    if due != current.due:
        parts.append(
            _("uiterlijk: %(old)s → %(new)s")
            % {"old": current.due.strftime("%d-%m-%Y"), "new": due.strftime("%d-%m-%Y")}
        )
    if not parts:
        return current  # nothing changed: no new version, no history line
    old_owner = current.owner
    Agreement.objects.filter(pk=current.pk, version=current.version).update(
        what=what, owner=owner, due=due, version=F("version") + 1, updated_at=timezone.now()
    )
    menu_counts.forget([old_owner.pk if old_owner else None, getattr(owner, "pk", owner)])  # both owners' menus
    menu_counts.forget_child(current.child_id)
    current = Agreement.objects.select_related("owner").get(pk=current.pk)
    summary = _("Afspraak gewijzigd: %(what)s (%(changes)s)") % {"what": current.what, "changes": "; ".join(parts)}
    _record(child, PlanChange.Kind.AGREEMENT_CHANGED, summary, _actor_user(actor), agreement=current)
    if owner.pk != old_owner.pk and owner.pk != _actor_user(actor).pk:
        _tell(
            owner,
            f"agreement-owner:{current.pk}:{current.version}",
            Text(
                gettext_noop("Nieuwe afspraak voor u in het plan van %(name)s: %(what)s"),
                name=child.first_name,
                what=what,
            ),
            child,
            f"#afspraak-{current.pk}",
        )
    return current


# --- goals ------------------------------------------------------------------------------------


def _clean_goal(text, child_words, evaluate_on) -> dict:
    errors: dict = {}
    text = _clean_text(text, "text", errors, empty_message=_("Schrijf het doel op."))
    child_words = _clean_text(child_words, "child_words", errors, required=False)
    evaluate_on = _clean_date(evaluate_on, "evaluate_on", errors, _("Kies een datum waarop jullie het doel evalueren."))
    if errors:
        raise ValidationError(errors)
    return {"text": text, "child_words": child_words, "evaluate_on": evaluate_on}


def add_goal(
    actor: Actor,
    child: Child,
    *,
    text: str,
    child_words: str = "",
    evaluate_on,
    life_domain: str = "",
    family_goal=None,
) -> Goal:
    """A goal in professional wording beside the child's own words, with a date to evaluate it; with a life
    domain, and the family's own goal it builds on (never replacing it; docs/opp.md)."""
    authorize(actor, Action.CREATE, child, PLAN_CATEGORY, label=_("een doel in %(plan)s") % {"plan": _label(child)})
    values = _clean_goal(text, child_words, evaluate_on)
    if values["evaluate_on"] < timezone.localdate():
        raise ValidationError({"evaluate_on": _("De evaluatiedatum ligt in het verleden.")})
    from .groei_models import LifeDomain

    if life_domain and life_domain not in LifeDomain.values:
        raise ValidationError({"life_domain": _("Kies een levensgebied.")})
    if family_goal is not None and family_goal.child_id != child.pk:
        raise ValidationError({"family_goal": _("Dit doel van het gezin hoort bij een ander kind.")})
    values["life_domain"] = life_domain or (family_goal.life_domain if family_goal is not None else "")
    values["family_goal"] = family_goal
    with transaction.atomic(), stored_language():
        return _create_goal(actor, child, values)


def _create_goal(actor, child, values) -> Goal:
    recorded_by = owner_for_author(_actor_user(actor), child)  # docs/record-owner.md
    goal = Goal.objects.create(child=child, created_by=_actor_user(actor), **recorded_by.as_fields(), **values)
    _record(
        child,
        PlanChange.Kind.GOAL_ADDED,
        _("Nieuw doel: %(text)s (evalueren op %(on)s)")
        % {"text": goal.text, "on": goal.evaluate_on.strftime("%d-%m-%Y")},
        _actor_user(actor),
        goal=goal,
    )
    return goal


def change_goal(
    actor: Actor, goal: Goal, *, text: str, child_words: str = "", evaluate_on, evaluation: str = "", expected_version
) -> Goal:
    """Change a goal's wording, date or evaluation; stale forms raise StaleEdit."""
    child = goal.child
    authorize(
        actor, Action.CHANGE, child, PLAN_CATEGORY, obj=goal, label=_("een doel in %(plan)s") % {"plan": _label(child)}
    )
    values = _clean_goal(text, child_words, evaluate_on)
    values["evaluation"] = (evaluation or "").strip()[:5000]
    with transaction.atomic(), stored_language():
        return _save_goal(actor, goal, values, expected_version)


def _save_goal(actor, goal, values, expected_version) -> Goal:
    child = goal.child
    current = Goal.objects.select_for_update().get(pk=goal.pk)
    if current.version != int(expected_version):
        raise StaleEdit(current)
    Goal.objects.filter(pk=current.pk, version=current.version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    current.refresh_from_db()
    _record(
        child,
        PlanChange.Kind.GOAL_CHANGED,
        _("Doel gewijzigd: %(text)s") % {"text": current.text},
        _actor_user(actor),
        goal=current,
    )
    return current


# --- reading the plan -------------------------------------------------------------------------


@dataclass
class PlanView:
    child: Child
    goals: list
    agreements: list
    changes_since: list
    last_visit: datetime | None
    recent_changes: list


def read_plan(actor: Actor, child: Child, *, record_visit: bool = True, agreement_limit: int | None = None) -> PlanView:
    """The whole plan as everyone with access sees it (logged), and what changed since this
    person's last visit. Query count does not depend on the number of goals or agreements."""
    authorize(actor, Action.VIEW, child, PLAN_CATEGORY, label=_label(child))
    user = _actor_user(actor)
    # What another organisation recorded only when the policy lets this person see it (docs/record-owner.md).
    by_owner = visible_q(user, PLAN_CATEGORY, owner="")
    goals_qs = Goal.objects.filter(by_owner, child=child)
    goals = list(goals_qs.order_by("evaluate_on", "pk"))
    all_agreements = Agreement.objects.filter(by_owner, child=child)
    agreements_qs = all_agreements.select_related("owner").order_by("due", "pk")
    if agreement_limit:
        agreements_qs = agreements_qs[:agreement_limit]
    agreements = list(agreements_qs)
    for agreement in agreements:  # they are this child's: no query per agreement for `agreement.child`
        agreement.child = child
    visit = PlanVisit.objects.filter(child=child, user=user).first()
    last_visit = visit.seen_at if visit else None
    changes_qs = (
        PlanChange.objects.filter(child=child)
        .filter(
            Q(goal__isnull=True, agreement__isnull=True)
            | Q(goal__in=goals_qs.values("pk"))
            | Q(agreement__in=all_agreements.values("pk"))
        )
        .select_related("by")
        .order_by("-at", "-pk")
    )
    changes_since = list(changes_qs.filter(at__gt=last_visit).exclude(by=user)[:50]) if last_visit else []
    recent = list(changes_qs[:20])
    if record_visit:
        PlanVisit.objects.update_or_create(child=child, user=user, defaults={"seen_at": timezone.now()})
    return PlanView(child, goals, agreements, changes_since, last_visit, recent)


def my_open_agreements(actor: Actor, limit: int = 100) -> list[Agreement]:
    """Open agreements this person owns, across children, only where they may still see the plan.

    Each child's plan read is logged once (a consent may have ended since the agreement was made)."""
    user = _actor_user(actor)
    agreements = list(
        Agreement.objects.filter(owner=user, status=AgreementStatus.OPEN)
        .select_related("child", "goal")
        .prefetch_related("child__guardianships")
        .order_by("due", "pk")[:limit]
    )
    allowed: dict[int, bool] = {}
    for a in agreements:
        if a.child_id not in allowed:
            allowed[a.child_id] = decide(user, Action.VIEW, a.child, PLAN_CATEGORY).allowed
            if allowed[a.child_id]:
                authorize(
                    actor,
                    Action.VIEW,
                    a.child,
                    PLAN_CATEGORY,
                    label=_("mijn afspraken in %(plan)s") % {"plan": _label(a.child)},
                )
    return [a for a in agreements if allowed[a.child_id]]


DUE_SOON_DAYS = 7


def my_open_agreement_counts(user, today: date | None = None) -> dict[str, int]:
    """How many of my open agreements are overdue, and due within DUE_SOON_DAYS, counting only children
    whose plan I may still see (the same rule as `my_open_agreements`, as one query)."""
    today = today or timezone.localdate()
    return Agreement.objects.filter(
        owner=user, status=AgreementStatus.OPEN, child__in=visible_child_ids(user, PLAN_CATEGORY)
    ).aggregate(
        overdue=Count("pk", filter=Q(due__lt=today)),
        due_soon=Count("pk", filter=Q(due__gte=today, due__lte=today + timedelta(days=DUE_SOON_DAYS))),
    )
