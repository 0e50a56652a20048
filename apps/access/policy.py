"""The one access policy: every read and write of child data is decided here, and logged.

`decide` answers "may this person do this with this category of this child's data, and on what
basis?". `authorize` decides, writes the access-log entry (also for a refusal) and raises when
refused. `visible_children` is the same rule as a queryset, for lists. Views, the API, exports and
background jobs all go through these three functions; no other module checks roles itself.

Questions that are not about one child's data live in one `permissions.py` per app, listed here:
`apps/enrolment/permissions.py` (who may import from the pupil administration, and who sees pupils'
names in an import preview), `apps/attendance/permissions.py` (who reports sick, keeps the absence
register and takes a signal's next step).

`PURPOSE_GRANTS` is the one way another app widens this policy, for one purpose: the
leerplichtambtenaar reads a pupil's basic and absence data only through a signal that involves them
(registered by `apps/attendance`). Such a grant allows reading only, and is logged like any access.
"""

import functools
import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import trans_real

from apps.audit.log import Actor, append
from apps.circles.models import Child
from apps.consent import rules as consent_rules
from apps.consent.models import Category, Consent
from apps.organisations.models import OUTSIDE_ROLES, Membership, Role

security_log = logging.getLogger("driehoek.security")


class Action(models.TextChoices):
    VIEW = "view", _("bekijken")
    LIST = "list", _("in lijst zien")
    CREATE = "create", _("toevoegen")
    CHANGE = "change", _("wijzigen")
    EXPORT = "export", _("exporteren")
    MANAGE_CIRCLE = "manage_circle", _("kring beheren")
    VIEW_LOG = "view_log", _("logboek bekijken")
    GIVE_CONSENT = "give_consent", _("toestemming geven")
    SET_PARENT_VIEW = "set_parent_view", _("bepalen wat ouders zien")


READ_ACTIONS = {Action.VIEW, Action.LIST}
WRITE_ACTIONS = {Action.CREATE, Action.CHANGE}
ALL_CATEGORIES = frozenset(c.value for c in Category)

# What each school role may do with pupils in its scope, per category.
SCHOOL_RIGHTS: dict[str, dict[str, frozenset]] = {
    Role.TEACHER: {a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE)},
    Role.IB: {
        **{a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT)},
        Action.MANAGE_CIRCLE: ALL_CATEGORIES,
    },
    Role.DIRECTOR: {
        **{a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT)},
        Action.MANAGE_CIRCLE: ALL_CATEGORIES,
    },
    Role.SCHOOL_ADMIN: {
        a: frozenset({Category.BASIC.value}) for a in (Action.VIEW, Action.LIST, Action.CHANGE, Action.MANAGE_CIRCLE)
    },
}
# Outside professionals: what a valid consent for a category lets them do in that category.
CONSENT_ACTIONS = {Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE}


@dataclass
class Decision:
    allowed: bool
    role: str = ""
    organisation: str = ""
    basis: str = ""
    consent: Consent | None = None
    reason: str = ""
    extra: dict = field(default_factory=dict)

    def __bool__(self):
        return self.allowed


class AccessDenied(PermissionDenied):
    def __init__(self, decision: Decision):
        super().__init__(decision.reason)
        self.decision = decision


def memberships_of(user) -> list[Membership]:
    """The user's active roles, fetched once per user object (a request or a job)."""
    cached = getattr(user, "_driehoek_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, active=True)
            .select_related("school", "organisation")
            .prefetch_related("groups")
        )
        user._driehoek_memberships = cached
    return cached


def is_professional(user) -> bool:
    return bool(memberships_of(user))


def _young_person_keeps(child, category, today) -> str:
    """From 16 the young person decides what the parents see of health and support (docs/age-rules.md).

    The refusal reason for a guardian, or "" when the parents may see this category."""
    if consent_rules.shared_with_parents(child, category, today):
        return ""
    return str(
        _("Vanaf 16 jaar beslist %(name)s zelf wat ouders zien van %(category)s. %(name)s deelt dit nu niet met u.")
        % {"name": child.first_name, "category": Category(category).label}
    )


def _guardian_decision(user, action, child, category, today) -> Decision | None:
    guardianship = next((g for g in child.guardianships.all() if g.user_id == user.pk), None)
    if guardianship is None:
        return None
    role = str(guardianship.get_relation_display())
    if action == Action.SET_PARENT_VIEW:
        return Decision(False, role=role, reason=str(_("Vanaf 16 jaar beslist het kind zelf wat ouders zien.")))
    if kept := _young_person_keeps(child, category, today):
        return Decision(False, role=role, reason=kept)
    if action in READ_ACTIONS or action == Action.VIEW_LOG:
        return Decision(True, role=role, basis=str(_("als ouder/verzorger")))
    if not guardianship.has_authority:
        return Decision(
            False, role=role, reason=str(_("Een ouder zonder gezag kan meelezen, maar niets wijzigen of tekenen."))
        )
    if action in WRITE_ACTIONS or action == Action.EXPORT:
        return Decision(True, role=role, basis=str(_("als ouder met gezag")))
    if action == Action.GIVE_CONSENT:
        if consent_rules.may_sign(user, child, timezone.localdate()):
            return Decision(True, role=role, basis=str(_("als ouder met gezag")))
        return Decision(False, role=role, reason=str(_("Vanaf 16 jaar beslist het kind zelf over toestemming.")))
    return Decision(False, role=role, reason=str(_("Dit kan een ouder niet doen.")))


def _own_record_decision(user, action, child, today) -> Decision | None:
    if child.user_id != user.pk:
        return None
    role = str(_("leerling zelf"))
    if child.age(today) < 12:
        return Decision(False, role=role, reason=str(_("Een eigen account kan vanaf 12 jaar.")))
    if action == Action.SET_PARENT_VIEW:
        if consent_rules.young_person_decides(child, today):
            return Decision(True, role=role, basis=str(_("eigen keuze, vanaf 16 jaar")))
        return Decision(False, role=role, reason=str(_("Vanaf je 16e verjaardag bepaal je zelf wat je ouders zien.")))
    if action in READ_ACTIONS | WRITE_ACTIONS or action in (Action.VIEW_LOG, Action.EXPORT):
        return Decision(True, role=role, basis=str(_("eigen dossier")))
    if action == Action.GIVE_CONSENT and consent_rules.may_sign(user, child, today):
        return Decision(True, role=role, basis=str(_("eigen dossier")))
    return Decision(False, role=role, reason=str(_("Dit kun je niet zelf doen.")))


def _in_school_scope(membership: Membership, child: Child, user, today) -> bool:
    if membership.school_id != child.school_id:
        return False
    if membership.role != Role.TEACHER:
        return True
    if any(g.pk == child.group_id for g in membership.groups.all()):
        return True
    # A teacher outside the class who was added to the circle (e.g. remedial teacher).
    return child.circle.current(today).filter(user=user).exists()


def _school_decision(user, action, child, category, today) -> Decision | None:
    for m in memberships_of(user):
        if not m.is_school_role or not _in_school_scope(m, child, user, today):
            continue
        allowed_categories = SCHOOL_RIGHTS.get(m.role, {}).get(action)
        if allowed_categories and category in allowed_categories:
            label = str(m.get_role_display())
            return Decision(True, role=label, organisation=m.organisation_name, basis=label)
    return None


def _consent_decision(user, action, child, category, today) -> Decision | None:
    outside = [m for m in memberships_of(user) if m.role in OUTSIDE_ROLES]
    if not outside:
        return None
    m = outside[0]
    label = str(m.get_role_display())
    if action not in CONSENT_ACTIONS and action != Action.MANAGE_CIRCLE:
        return Decision(False, role=label, organisation=m.organisation_name, reason=str(_("Niet toegestaan.")))
    from apps.consent.services import valid_consents_for

    consents = valid_consents_for(user, child, category, today)
    if not consents:
        return Decision(
            False,
            role=label,
            organisation=m.organisation_name,
            reason=str(_("Er is geen geldige toestemming van de familie voor deze informatie.")),
        )
    consent = consents[0]
    member = next((x for x in memberships_of(user) if x.organisation_id == consent.organisation_id), m)
    if action == Action.MANAGE_CIRCLE and not child.circle.filter(user=user, is_coordinator=True).exists():
        return Decision(False, role=label, organisation=member.organisation_name, reason=str(_("Niet toegestaan.")))
    return Decision(
        True,
        role=str(member.get_role_display()),
        organisation=member.organisation_name,
        basis=str(_("toestemming")),
        consent=consent,
    )


# (role, category set, grant(user, child) -> basis text or "") registered by apps for one purpose.
PURPOSE_GRANTS: list[tuple[str, frozenset, object]] = []


def _purpose_decision(user, action, child, category, today) -> Decision | None:
    if action not in READ_ACTIONS:
        return None
    for m in memberships_of(user):
        for role, categories, grant in PURPOSE_GRANTS:
            if m.role == role and category in categories and (basis := grant(user, child)):
                label = str(m.get_role_display())
                return Decision(True, role=label, organisation=m.organisation_name, basis=str(basis))
    return None


def decide(user, action: str, child: Child, category: str = Category.BASIC, on: date | None = None) -> Decision:
    """Decide one request. Fails closed: anything unknown is a refusal."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Decision(False, reason=str(_("U bent niet ingelogd.")))
    if category not in ALL_CATEGORIES:
        return Decision(False, reason="unknown category")
    today = on or timezone.localdate()
    refusals = []
    for rule in (
        lambda: _guardian_decision(user, action, child, category, today),
        lambda: _own_record_decision(user, action, child, today),
        lambda: _school_decision(user, action, child, category, today),
        lambda: _consent_decision(user, action, child, category, today),
        lambda: _purpose_decision(user, action, child, category, today),
    ):
        decision = rule()
        if decision is None:
            continue
        if decision.allowed:
            return decision
        refusals.append(decision)
    if refusals:
        return refusals[0]
    roles = memberships_of(user)
    role = str(roles[0].get_role_display()) if roles else (str(_("beheerder")) if user.is_staff else "")
    return Decision(
        False,
        role=role,
        organisation=roles[0].organisation_name if roles else "",
        reason=str(_("U hoort niet bij de kring van dit kind.")),
    )


# Log entries are written for reads and writes of child data, not for the checks that only shape a page.
LOGGED_AS = {
    Action.VIEW: "view",
    Action.LIST: "list",
    Action.CREATE: "create",
    Action.CHANGE: "change",
    Action.EXPORT: "export",
    Action.MANAGE_CIRCLE: "change",
    Action.VIEW_LOG: "view",
    Action.GIVE_CONSENT: "sign",
    Action.SET_PARENT_VIEW: "change",
}


@functools.cache
def _source_texts() -> dict[str, str]:
    """Translated text → Dutch source text, for every language the product offers."""
    reverse = {}
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        catalog = trans_real.translation(code)._catalog
        for msgid, msgstr in catalog.items():
            if isinstance(msgid, str) and msgstr and msgstr != msgid:
                reverse.setdefault(msgstr, msgid)
    return reverse


def in_source_language(text) -> str:
    """The log keeps Dutch even when a caller translated its label for an English-speaking actor."""
    text = str(text)
    return _source_texts().get(text, text)


def _log_values(actor: Actor, decision: Decision, action, child, category, obj, label) -> dict:
    user = actor.user
    return {
        "actor_id": user.pk if getattr(user, "pk", None) else None,
        "actor_name": str(getattr(user, "full_name", "") or getattr(user, "email", "") or "anoniem"),
        "actor_role": decision.role[:100] or "-",
        "actor_organisation": decision.organisation[:200],
        "child_id": child.pk,
        "category": category,
        "object_type": (obj._meta.model_name if obj is not None and hasattr(obj, "_meta") else "child"),
        "object_id": str(getattr(obj, "pk", "") or child.pk),
        "object_label": in_source_language(label)[:200],
        "action": LOGGED_AS[action],
        "allowed": decision.allowed,
        "basis": (decision.basis if decision.allowed else decision.reason)[:200],
        "consent_id": decision.consent.pk if decision.consent else None,
        "channel": actor.channel,
        "ip": actor.ip,
    }


def authorize(
    actor: Actor, action: str, child: Child, category: str = Category.BASIC, *, obj=None, label: str = ""
) -> Decision:
    """Decide, log (allowed or not), and raise AccessDenied when refused. Errors in deciding refuse."""
    # The log is written in Dutch whatever language the actor reads, so the family reads one language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            decision = decide(actor.user, action, child, category)
        except Exception:  # fail closed (SEC-17)
            security_log.exception("access decision failed")
            decision = Decision(False, reason=str(_("Toegang kon niet worden bepaald.")))
        append([_log_values(actor, decision, action, child, category, obj, label or _default_label(category))])
    if not decision.allowed:
        security_log.info(
            "access refused",
            extra={
                "event": "access_denied",
                "user_id": getattr(actor.user, "pk", None),
                "child_id": child.pk,
                "action": action,
                "ip": actor.ip,
            },
        )
        raise AccessDenied(decision)
    return decision


def log_list(actor: Actor, children: list[Child], label: str = "") -> None:
    """Record that these children were shown in a list (one entry each, one query)."""
    entries = []
    with translation.override(settings.LANGUAGE_CODE):
        _collect_list_entries(actor, children, label, entries)
    append(entries)


def _collect_list_entries(actor: Actor, children, label, entries: list) -> None:
    for child in children:
        decision = decide(actor.user, Action.LIST, child, Category.BASIC)
        entries.append(
            _log_values(actor, decision, Action.LIST, child, Category.BASIC, None, label or _("de leerlingenlijst"))
        )


def _default_label(category: str) -> str:
    return {
        Category.BASIC: _("de basisgegevens en de kring"),
        Category.DEVELOPMENT: _("de ontwikkeling op school"),
        Category.SUPPORT: _("de ondersteuning en het plan"),
        Category.HEALTH: _("gezondheid en verzuim"),
    }[Category(category)]


def visible_children(user, category: str = Category.BASIC, on: date | None = None):
    """Children whose data in `category` this user may see, as one queryset (same rule as `decide`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    today = on or timezone.localdate()
    condition = Q(guardianships__user=user) & consent_rules.shared_with_parents_q(category, today)
    twelve_years_ago = _years_before(today, 12)
    condition |= Q(user=user, date_of_birth__lte=twelve_years_ago)
    for m in memberships_of(user):
        if not m.is_school_role:
            continue
        if category not in SCHOOL_RIGHTS.get(m.role, {}).get(Action.VIEW, frozenset()):
            continue
        if m.role == Role.TEACHER:
            condition |= Q(school_id=m.school_id, group__in=[g.pk for g in m.groups.all()])
            condition |= Q(
                school_id=m.school_id,
                pk__in=Child.objects.filter(circle__user=user, circle__since__lte=today)
                .filter(Q(circle__until__isnull=True) | Q(circle__until__gte=today))
                .values("pk"),
            )
        else:
            condition |= Q(school_id=m.school_id)
    if any(m.role in OUTSIDE_ROLES for m in memberships_of(user)):
        from apps.consent.services import valid_consents_for

        candidate_ids = set(
            Consent.objects.filter(
                organisation__staff__user=user, scopes__category=category, revoked_at__isnull=True
            ).values_list("child_id", flat=True)
        )
        ok_ids = [
            child.pk
            for child in Child.objects.filter(pk__in=candidate_ids).prefetch_related("guardianships")
            if valid_consents_for(user, child, category, today)
        ]
        condition |= Q(pk__in=ok_ids)
    return Child.objects.filter(pk__in=Child.objects.filter(condition).values("pk"))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
