"""The one access policy: every read and write of child data is decided here, and logged.

`decide` answers "may this person do this with this category of this child's data, and on what
basis?". `authorize` decides, writes the access-log entry (also for a refusal) and raises
`AccessDenied` (a `PermissionDenied`, so a 403) when refused. `visible_children` is the same rule as a
queryset; `visible_q` / `visible_q_by_category` turn it into the filter every list, feed, search and
export of child-related objects is built from, and `log_list` / `log_items` log what such a list showed
(one entry per child and category, a fixed number of queries). Views, the API, calendar feeds, exports
and background jobs all go through these functions; no other module checks roles itself.

Where every other "who may" rule lives (each builds on the functions here; see docs/policy.md):

- `apps/consent/rules.py` — who signs a consent at which age (under 12, 12–15, 16+), when it is valid.
- `apps/conversations/permissions.py` — who of the people the policy lets in records a conversation,
  fills in the child's preparation or cancels it.
- `apps/helpguide/permissions.py` — who edits a school's help guide; who handles and reads help questions
  (a question about a child is support data: the policy decides).
- `apps/meetings/permissions.py` — who organises and who follows a school's meetings (no child data).
- `apps/messaging/permissions.py` — who posts and reads announcements and newsletter items.
- `apps/planner/permissions.py` — who opens a round of start-of-year conversations for a class.
- `apps/enrolment/permissions.py` — who imports from the pupil administration, and who sees pupils' names in
  an import preview.
- `apps/organisations/permissions.py` — who administers boards, schools, organisations and staff (no child data).
- `apps/schooloffice/permissions.py` — who runs a school's office screens (pupils, groups, guardians, invitations).
- `authority_action` and `confirmable_guardianships` here — who confirms gezag and who adds a family member
  (docs/guardians-and-gezag.md).
- `apps/attendance/permissions.py` — who reports sick, keeps the absence register and takes a signal's next step.
- `apps/referrals/permissions.py` — who asks a school to be added to a child's circle, and who handles such requests.
- `apps/privacy/permissions.py` — who decides a correction request (the record's author); who requests
  inspection, correction or an own statement is `_rights_decision` here (docs/inspection-and-retention.md).

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
    # Give someone a family account on this child (a new guardian, or the child's own account): that account
    # reads the whole file, so only the IB'er or the director may (docs/guardians-and-gezag.md).
    INVITE_FAMILY = "invite_family", _("gezinslid uitnodigen")
    # Confirm or correct a guardian's gezag (see `may_confirm_authority` for who confirms which guardian).
    CONFIRM_AUTHORITY = "confirm_authority", _("gezag bevestigen")
    ASSIGN = "assign", _("medewerker toewijzen")
    # The family's rights over the file (docs/inspection-and-retention.md, R5): under 16 the guardians with
    # confirmed gezag, from 16 the young person; a child from 12 asks for what youth care recorded.
    REQUEST_INSPECTION = "request_inspection", _("inzage vragen")
    REQUEST_YOUTH_CARE_INSPECTION = "request_youth_care_inspection", _("inzage vragen in de jeugdhulp")
    REQUEST_CORRECTION = "request_correction", _("correctie vragen")
    ADD_STATEMENT = "add_statement", _("zienswijze toevoegen")
    # The school's coordinator (IB'er, director) prepares an inspection export and places a legal hold.
    HANDLE_INSPECTION = "handle_inspection", _("inzageverzoek afhandelen")
    LEGAL_HOLD = "legal_hold", _("bewaarplicht instellen")


READ_ACTIONS = {Action.VIEW, Action.LIST}
WRITE_ACTIONS = {Action.CREATE, Action.CHANGE}
# After a pupil has left, their file is kept (retention) but nobody adds to it or changes who is in it.
LEFT_IS_READ_ONLY = {*WRITE_ACTIONS, Action.MANAGE_CIRCLE, Action.GIVE_CONSENT, Action.INVITE_FAMILY}
ALL_CATEGORIES = frozenset(c.value for c in Category)

# What each school role may do with pupils in its scope, per category.
SCHOOL_RIGHTS: dict[str, dict[str, frozenset]] = {
    Role.TEACHER: {a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE)},
    Role.IB: {
        **{a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT)},
        **{a: ALL_CATEGORIES for a in (Action.MANAGE_CIRCLE, Action.INVITE_FAMILY, Action.CONFIRM_AUTHORITY)},
        **{a: ALL_CATEGORIES for a in (Action.HANDLE_INSPECTION, Action.LEGAL_HOLD)},
    },
    Role.DIRECTOR: {
        **{a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT)},
        **{a: ALL_CATEGORIES for a in (Action.MANAGE_CIRCLE, Action.INVITE_FAMILY, Action.CONFIRM_AUTHORITY)},
        **{a: ALL_CATEGORIES for a in (Action.HANDLE_INSPECTION, Action.LEGAL_HOLD)},
    },
    Role.SCHOOL_ADMIN: {
        a: frozenset({Category.BASIC.value})
        for a in (Action.VIEW, Action.LIST, Action.CHANGE, Action.MANAGE_CIRCLE, Action.CONFIRM_AUTHORITY)
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
    """The user's effective roles (an inactive school or organisation gives none), fetched once per user object."""
    cached = getattr(user, "_driehoek_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.effective()
            .filter(user=user)
            .select_related("school", "organisation")
            .prefetch_related("groups")
        )
        user._driehoek_memberships = cached
        user._driehoek_consents = {}
    return cached


def _consents_of(user, category: str, today: date) -> dict:
    """Per child, the valid consents that bring this outside professional in, fetched once per user object
    and category and day (a request or a job), so a list costs the same for one child as for many."""
    memberships_of(user)
    cache = user.__dict__.setdefault("_driehoek_consents", {})
    if (category, today) not in cache:
        from apps.consent.services import valid_consents_by_child

        cache[(category, today)] = valid_consents_by_child(user, category, today)
    return cache[(category, today)]


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
        if guardianship.authority_status != guardianship.Authority.CONFIRMED:
            return Decision(
                False,
                role=role,
                reason=str(_("De school heeft uw gezag nog niet bevestigd. Tot dan kunt u niet tekenen.")),
            )
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


@dataclass
class _Preloaded:
    """What deciding for many children at once (a list) reads in a fixed number of queries, so that logging
    a list costs the same for 1 child as for 50: the children this user is in the circle of."""

    circle_child_ids: set = field(default_factory=set)


def _in_circle(user, child, today, preloaded: "_Preloaded | None") -> bool:
    if preloaded is not None:
        return child.pk in preloaded.circle_child_ids
    return child.circle.current(today).filter(user=user).exists()


def has_left(child: Child, today: date) -> bool:
    """The pupil left the school (the import's sync set the date): the file stays, read-only (docs/import.md)."""
    return child.left_on is not None and child.left_on <= today


def _in_school_scope(membership: Membership, child: Child, user, today, preloaded=None) -> bool:
    if membership.school_id != child.school_id:
        return False
    if membership.role != Role.TEACHER:
        return True
    if has_left(child, today):  # no longer in anyone's class; the IB'er and the director keep the file
        return False
    if any(g.pk == child.group_id for g in membership.groups.all()):
        return True
    # A teacher outside the class who was added to the circle (e.g. remedial teacher).
    return _in_circle(user, child, today, preloaded)


def _school_decision(user, action, child, category, today, preloaded=None) -> Decision | None:
    for m in memberships_of(user):
        if not m.is_school_role or not _in_school_scope(m, child, user, today, preloaded):
            continue
        allowed_categories = SCHOOL_RIGHTS.get(m.role, {}).get(action)
        if allowed_categories and category in allowed_categories:
            label = str(m.get_role_display())
            return Decision(True, role=label, organisation=m.organisation_name, basis=label)
    return None


def _consent_decision(user, action, child, category, today, preloaded=None) -> Decision | None:
    """Outside professionals: only a valid consent that covers them brings them in (docs/youth-care.md)."""
    outside = [m for m in memberships_of(user) if m.role in OUTSIDE_ROLES]
    if not outside:
        return None
    m = outside[0]
    label = str(m.get_role_display())
    if action == Action.ASSIGN:
        return _assign_decision(user, child, today, outside)
    if action not in CONSENT_ACTIONS and action != Action.MANAGE_CIRCLE:
        return Decision(False, role=label, organisation=m.organisation_name, reason=str(_("Niet toegestaan.")))
    consents = _consents_of(user, category, today).get(child.pk)
    if not consents:
        covered = _consents_of(user, Category.BASIC, today).get(child.pk)
        reason = (
            _("De toestemming van de familie geldt niet voor deze informatie.")
            if covered
            else _("U heeft (nu) geen geldige toestemming van de familie voor dit kind.")
        )
        return Decision(False, role=label, organisation=m.organisation_name, reason=str(reason))
    consent = consents[0]
    member = next((x for x in outside if x.organisation_id == consent.organisation_id), m)
    if action == Action.MANAGE_CIRCLE and not child.circle.filter(user=user, is_coordinator=True).exists():
        return Decision(False, role=label, organisation=member.organisation_name, reason=str(_("Niet toegestaan.")))
    return Decision(
        True,
        role=str(member.get_role_display()),
        organisation=member.organisation_name,
        basis=str(_("toestemming")),
        consent=consent,
    )


def _assign_decision(user, child, today, outside: list[Membership]) -> Decision:
    """Staff of an organisation may assign a colleague while the family's consent to that organisation holds."""
    for consent in Consent.objects.filter(
        child=child,
        organisation_id__in=[m.organisation_id for m in outside],
        grantee__isnull=True,
        revoked_at__isnull=True,
    ).prefetch_related("signatures"):
        if consent_rules.is_valid(consent, today):
            member = next(x for x in outside if x.organisation_id == consent.organisation_id)
            return Decision(
                True,
                role=str(member.get_role_display()),
                organisation=member.organisation_name,
                basis=str(_("toestemming aan de organisatie")),
                consent=consent,
            )
    return Decision(
        False,
        role=str(outside[0].get_role_display()),
        organisation=outside[0].organisation_name,
        reason=str(_("Er is geen geldige toestemming van de familie aan uw organisatie.")),
    )


RIGHTS_ACTIONS = {
    Action.REQUEST_INSPECTION,
    Action.REQUEST_YOUTH_CARE_INSPECTION,
    Action.REQUEST_CORRECTION,
    Action.ADD_STATEMENT,
}


def _rights_decision(user, action, child, category, today) -> Decision:
    """Who exercises the family's rights over the file: inspection, correction, an own statement.

    GDPR rights of a child under 16 go through the guardians with (confirmed) gezag; from 16 the young
    person exercises them alone (R2, R5). What youth care recorded the child may ask to inspect from 12
    (Jeugdwet/WGBO, R1). A parent without gezag asks the school for information instead (R4).
    See docs/inspection-and-retention.md."""
    age = child.age(today)
    if child.user_id == user.pk:
        role = str(_("leerling zelf"))
        if age >= 16:
            return Decision(True, role=role, basis=str(_("eigen dossier, vanaf 16 jaar")))
        if age >= 12 and action == Action.REQUEST_YOUTH_CARE_INSPECTION:
            return Decision(True, role=role, basis=str(_("eigen jeugdhulpdossier, vanaf 12 jaar")))
        return Decision(
            False,
            role=role,
            reason=str(
                _(
                    "Tot je 16e vragen je ouders met gezag dit voor je aan. Wat de jeugdhulp over je vastlegde, "
                    "kun je vanaf je 12e zelf inzien."
                )
            ),
        )
    guardianship = next((g for g in child.guardianships.all() if g.user_id == user.pk), None)
    if guardianship is not None:
        role = str(guardianship.get_relation_display())
        if age >= 16:
            reason = _("Vanaf 16 jaar vraagt %(name)s dit zelf. U kunt het niet meer namens %(name)s vragen.")
            return Decision(False, role=role, reason=str(reason % {"name": child.first_name}))
        if not guardianship.has_authority:
            reason = _(
                "Een ouder zonder gezag vraagt geen inzage in het hele dossier. U kunt de school wel om "
                "informatie over %(name)s vragen."
            )
            return Decision(False, role=role, reason=str(reason % {"name": child.first_name}))
        if guardianship.authority_status != guardianship.Authority.CONFIRMED:
            reason = _("De school heeft uw gezag nog niet bevestigd. Tot dan kunt u dit niet vragen.")
            return Decision(False, role=role, reason=str(reason))
        if kept := _young_person_keeps(child, category, today):
            return Decision(False, role=role, reason=kept)
        return Decision(True, role=role, basis=str(_("als ouder met gezag")))
    roles = memberships_of(user)
    return Decision(
        False,
        role=str(roles[0].get_role_display()) if roles else "",
        organisation=roles[0].organisation_name if roles else "",
        reason=str(_("Alleen de ouders met gezag, of het kind vanaf 16 jaar, vragen dit.")),
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


def decide(
    user, action: str, child: Child, category: str = Category.BASIC, on: date | None = None, *, _preloaded=None
) -> Decision:
    """Decide one request. Fails closed: anything unknown is a refusal."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Decision(False, reason=str(_("U bent niet ingelogd.")))
    if category not in ALL_CATEGORIES:
        return Decision(False, reason="unknown category")
    today = on or timezone.localdate()
    if action in LEFT_IS_READ_ONLY and has_left(child, today):
        reason = _("Deze leerling is uitgeschreven. Het dossier blijft bewaard en is alleen nog te lezen.")
        return Decision(False, reason=str(reason))
    if action in RIGHTS_ACTIONS:
        return _rights_decision(user, action, child, category, today)
    refusals = []
    for rule in (
        lambda: _guardian_decision(user, action, child, category, today),
        lambda: _own_record_decision(user, action, child, today),
        lambda: _school_decision(user, action, child, category, today, _preloaded),
        lambda: _consent_decision(user, action, child, category, today, _preloaded),
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
    Action.INVITE_FAMILY: "change",
    Action.CONFIRM_AUTHORITY: "change",
    Action.ASSIGN: "view",
    Action.REQUEST_INSPECTION: "create",
    Action.REQUEST_YOUTH_CARE_INSPECTION: "create",
    Action.REQUEST_CORRECTION: "create",
    Action.ADD_STATEMENT: "create",
    Action.HANDLE_INSPECTION: "export",
    Action.LEGAL_HOLD: "change",
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


def log_list(
    actor: Actor, children, label: str = "", category: str = Category.BASIC, action: str = Action.LIST
) -> None:
    """Record that these children were shown in a list, in `category` (one entry each).

    Every list, feed, search and export of child-related data calls this (or `log_items`) for what it
    shows; the number of queries does not grow with the number of children."""
    log_items(actor, [(child, category) for child in children], label, action=action)


def log_items(actor: Actor, items, label: str = "", action: str = Action.LIST) -> None:
    """Like `log_list` for lists that mix categories: `items` are `(child, category)` pairs (e.g. the
    conversations of a feed, each in its kind's category). One entry per distinct pair."""
    pairs = list(dict.fromkeys((child.pk, str(category)) for child, category in items))
    if not pairs:
        return
    user = actor.user
    today = timezone.localdate()
    children = _children_for_deciding({child.pk: child for child, _category in items})
    preloaded = _preload(user, list(children.values()), {category for _child_id, category in pairs}, today)
    entries = []
    with translation.override(settings.LANGUAGE_CODE):
        for child_id, category in pairs:
            child = children[child_id]
            try:
                decision = decide(user, action, child, category, today, _preloaded=preloaded)
            except Exception:  # fail closed (SEC-17)
                security_log.exception("access decision failed")
                decision = Decision(False, reason=str(_("Toegang kon niet worden bepaald.")))
            entries.append(
                _log_values(actor, decision, action, child, category, None, label or _("de leerlingenlijst"))
            )
    append(entries)


def _children_for_deciding(ids) -> dict:
    """The children with what the rules read (school, class, own account, guardians), in two queries."""
    return {
        c.pk: c
        for c in Child.objects.filter(pk__in=ids)
        .select_related("school", "group", "user")
        .prefetch_related("guardianships")
    }


def _preload(user, children: list[Child], categories: set, today: date) -> _Preloaded:
    """The circle memberships the rules read, for all `children` at once (an outside professional's valid
    consents come from `_consents_of`, which is fetched once per request)."""
    from apps.circles.models import CircleMember

    preloaded = _Preloaded()
    if not getattr(user, "is_authenticated", False) or not memberships_of(user):
        return preloaded
    ids = [c.pk for c in children]
    org_ids = [m.organisation_id for m in memberships_of(user) if m.role in OUTSIDE_ROLES and m.organisation_id]
    if org_ids or any(m.role == Role.TEACHER for m in memberships_of(user)):  # the rules that read the circle
        preloaded.circle_child_ids = set(
            CircleMember.objects.current(today).filter(user=user, child_id__in=ids).values_list("child_id", flat=True)
        )
    return preloaded


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
            still_here = Q(left_on__isnull=True) | Q(left_on__gt=today)
            condition |= Q(school_id=m.school_id, group__in=[g.pk for g in m.groups.all()]) & still_here
            condition |= still_here & Q(
                school_id=m.school_id,
                pk__in=Child.objects.filter(circle__user=user, circle__since__lte=today)
                .filter(Q(circle__until__isnull=True) | Q(circle__until__gte=today))
                .values("pk"),
            )
        else:
            condition |= Q(school_id=m.school_id)
    if any(m.role in OUTSIDE_ROLES for m in memberships_of(user)):
        condition |= Q(pk__in=list(_consents_of(user, category, today)))
    return Child.objects.filter(pk__in=Child.objects.filter(condition).values("pk"))


def visible_child_ids(user, category: str = Category.BASIC):
    """`visible_children` as a subquery of ids, built once per user object (a request or a job), so several
    lists and counts filtering on it do not repeat the policy's own queries."""
    cache = getattr(user, "_driehoek_visible_ids", None)
    if cache is None:
        cache = user._driehoek_visible_ids = {}
    if category not in cache:
        cache[category] = visible_children(user, category).values("pk")
    return cache[category]


def visible_q(user, category: str = Category.BASIC, path: str = "child") -> Q:
    """Objects whose child (at `path`, e.g. "conversation__child") this user may see in `category`: the
    filter every list, feed, search and export of child-related objects is built from."""
    return Q(**{f"{path}__in": visible_child_ids(user, category)})


def visible_q_by_category(user, category_of: dict, field: str, path: str = "child") -> Q:
    """For objects whose category follows from a field (a conversation's kind, a thread's category):
    `category_of` maps each value of `field` to its category; one subquery per distinct rule."""
    values_by_category: dict[str, list] = {}
    for value, category in category_of.items():
        values_by_category.setdefault(str(category), []).append(value)
    condition = Q(pk__in=[])
    for category, values in values_by_category.items():
        condition |= Q(**{f"{field}__in": values}) & visible_q(user, category, path)
    return condition


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def authority_action(guardianship) -> str:
    """The action that confirming this guardian's gezag needs. A guardian from the pupil administration:
    CONFIRM_AUTHORITY (IB'er, director, school administration of the child's school). A guardian added by
    hand: INVITE_FAMILY (the IB'er or the director only), so the school administration cannot confirm its
    own way into a family's file (docs/guardians-and-gezag.md)."""
    return Action.CONFIRM_AUTHORITY if guardianship.added_by_id is None else Action.INVITE_FAMILY


def may_confirm_authority(user, guardianship) -> bool:
    return decide(user, authority_action(guardianship), guardianship.child).allowed


def confirmable_guardianships(user):
    """Declared guardianships this user may confirm, as one queryset (the same rule as `authority_action`)."""
    from apps.circles.models import Guardianship

    condition = Q(pk__in=[])
    for m in memberships_of(user):
        rights = SCHOOL_RIGHTS.get(m.role, {}) if m.is_school_role else {}
        if Action.INVITE_FAMILY in rights:
            condition |= Q(child__school_id=m.school_id)
        elif Action.CONFIRM_AUTHORITY in rights:
            condition |= Q(child__school_id=m.school_id, added_by__isnull=True)
    return Guardianship.objects.filter(condition, authority_status=Guardianship.Authority.DECLARED)
