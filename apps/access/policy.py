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
- `apps/helpguide/permissions.py` — who reads and edits a school's help guide (and writes its steps in other
  languages); who handles and reads help questions (a question about a child is support data: the policy decides).
- `apps/meetings/permissions.py` — who organises and who follows a school's meetings (no child data); who
  restarts a stalled or stopped action (the director); who reads a learning community's page.
- `apps/casereview/permissions.py` — who coordinates a case review (the IB'er or director of the child's school),
  who gives a fit answer, who reads the anonymous summary of a school or region (docs/learning-community.md).
- `apps/messaging/permissions.py` — who posts and reads announcements and newsletter items, and who writes
  them in other languages.
- `apps/planner/permissions.py` — who opens a round of start-of-year conversations for a class.
- `apps/enrolment/permissions.py` — who imports from the pupil administration, and who sees pupils' names in
  an import preview.
- `apps/organisations/permissions.py` — who administers boards, schools, organisations and staff (no child data).
- `apps/schooloffice/permissions.py` — who runs a school's office screens (pupils, groups, guardians, invitations).
- `authority_action` and `confirmable_guardianships` here — who confirms gezag and who adds a family member
  (docs/guardians-and-gezag.md).
- `apps/attendance/permissions.py` — who reports sick, keeps the absence register and takes a signal's next step.
- `apps/plans/permissions.py` — who drafts the OPP (DRAFT_OPP), who writes the parents' view (guardians only, the
  school cannot overwrite it), who writes the pupil's view and signs that the pupil was heard, who consents
  to the handelingsdeel (CONSENT_OPP: parents with confirmed gezag); for the groeidocument and the family's own
  plan: who writes the parents' part, who chooses what goes with the request, who exports it, and that only the
  family writes its own plan — docs/opp.md.
- `apps/referrals/permissions.py` — who asks a school to be added to a child's circle, and who handles such requests.
- `apps/monitor/permissions.py` — who runs a wave of the partnership monitor and reads, exports and acts on its
  results (the school's director and IB'er; answers are anonymous aggregates, no child data; docs/learning.md).
- `apps/privacy/permissions.py` — who decides a correction request (the record's author); who requests
  inspection, correction or an own statement is `_rights_decision` here (docs/inspection-and-retention.md).

The owner dimension (docs/record-owner.md): every record carries the organisation that recorded it
(`apps/access/owner.py`). `decide(..., owner=...)` and the lists (`visible_q(..., owner=...)`) apply
`owner_allows`: school staff read what their school recorded; what a youth-care organisation (or another
school) recorded only through a valid consent to the school that covers the category (R3). Parents without
gezag follow `information_allows` (BW 1:377c, docs/guardians-and-gezag.md).

`PURPOSE_GRANTS` is the one way another app widens this policy, for one purpose: the
leerplichtambtenaar reads a pupil's basic and absence data only through a signal that involves them
(registered by `apps/attendance`). Such a grant allows reading only, and is logged like any access.
"""

import contextvars
import functools
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import trans_real

from apps.access.owner import Owner, owner_of
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
    # Decided like GIVE_CONSENT (whoever signs may revoke), but logged as a revoke (docs/audit-log.md).
    REVOKE_CONSENT = "revoke_consent", _("toestemming intrekken")
    SET_PARENT_VIEW = "set_parent_view", _("bepalen wat ouders zien")
    # Give someone a family account on this child (a new guardian, or the child's own account): that account
    # reads the whole file, so only the IB'er or the director may (docs/guardians-and-gezag.md).
    INVITE_FAMILY = "invite_family", _("gezinslid uitnodigen")
    # Confirm or correct a guardian's gezag (see `may_confirm_authority` for who confirms which guardian).
    CONFIRM_AUTHORITY = "confirm_authority", _("gezag bevestigen")
    ASSIGN = "assign", _("medewerker toewijzen")
    # The OPP (docs/opp.md): the school drafts it and lays the handelingsdeel before the parents; only
    # parents with confirmed gezag consent to it (WPO art. 40a, docs/domain-rules.md R13).
    DRAFT_OPP = "draft_opp", _("OPP opstellen")
    CONSENT_OPP = "consent_opp", _("instemmen met het handelingsdeel")
    # The receiving organisation reads a referral's text (before it accepts, nothing else of the child) and
    # answers it: only while the family's consent that goes with the referral is valid (docs/youth-care.md).
    RECEIVE_REFERRAL = "receive_referral", _("verwijzing lezen")
    ANSWER_REFERRAL = "answer_referral", _("verwijzing beantwoorden")
    # A parent without gezag asks the school for information (BW 1:377c); the IB'er or director decides.
    REQUEST_INFORMATION = "request_information", _("informatie vragen")
    DECIDE_INFORMATION = "decide_information", _("informatieverzoek beslissen")
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
CONSENT_SIGNING = {Action.GIVE_CONSENT, Action.REVOKE_CONSENT}
WRITE_ACTIONS = {Action.CREATE, Action.CHANGE}
# After a pupil has left, their file is kept (retention) but nobody adds to it or changes who is in it.
LEFT_IS_READ_ONLY = {
    *WRITE_ACTIONS,
    Action.MANAGE_CIRCLE,
    Action.GIVE_CONSENT,
    Action.INVITE_FAMILY,
    Action.DRAFT_OPP,
    Action.CONSENT_OPP,
}
# What a granted information request (BW 1:377c) covers: school progress and development, never youth care.
INFORMATION_CATEGORIES = frozenset({Category.BASIC.value, Category.DEVELOPMENT.value})
ALL_CATEGORIES = frozenset(c.value for c in Category)

# What each school role may do with pupils in its scope, per category.
SCHOOL_RIGHTS: dict[str, dict[str, frozenset]] = {
    Role.TEACHER: {a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE)},
    Role.IB: {
        **{a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT)},
        **{a: ALL_CATEGORIES for a in (Action.MANAGE_CIRCLE, Action.INVITE_FAMILY, Action.CONFIRM_AUTHORITY)},
        Action.DRAFT_OPP: frozenset({Category.SUPPORT.value}),
        Action.DECIDE_INFORMATION: ALL_CATEGORIES,
        **{a: ALL_CATEGORIES for a in (Action.HANDLE_INSPECTION, Action.LEGAL_HOLD)},
    },
    Role.DIRECTOR: {
        **{a: ALL_CATEGORIES for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT)},
        **{a: ALL_CATEGORIES for a in (Action.MANAGE_CIRCLE, Action.INVITE_FAMILY, Action.CONFIRM_AUTHORITY)},
        Action.DRAFT_OPP: frozenset({Category.SUPPORT.value}),
        Action.DECIDE_INFORMATION: ALL_CATEGORIES,
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
    # NEN 7513 purpose of use (AccessLogEntry.Purpose), set by `decide` from the rule that decided.
    purpose: str = ""
    extra: dict = field(default_factory=dict)

    def __bool__(self):
        return self.allowed


class AccessDenied(PermissionDenied):
    def __init__(self, decision: Decision):
        super().__init__(decision.reason)
        self.decision = decision


# --- The memo: what the policy read and decided, once per request or task (docs/performance.md) ---------


class PolicyMemo:
    """Everything the policy reads about people, and every decision it made, for one request or one task.

    The menu, the child-page links, the attention panel and the view all ask the policy; with one memo per
    request they share the person's memberships, guardianships, circle places and consents, and each
    decision (keyed by all of `decide`'s arguments and the active language) is made once. A write through
    the models this depends on (`apps/access/apps.py` connects the signals) clears the memo, so a decision
    after a revoke in the same request is made afresh.

    Outside a request or a task (a shell, a test calling `decide` directly) a partial memo lives on the user
    object and keeps only memberships, consents and the visible-children subqueries, as before; decisions,
    guardianships and circle places are read afresh there."""

    def __init__(self, full: bool = True):
        self.full = full
        self.clear()

    def clear(self) -> None:
        self.memberships: dict = {}  # user pk -> [Membership]
        self.consents: dict = {}  # (user pk, category, day) -> {child id: [Consent]}
        self.guardianships: dict = {}  # user pk -> {child id: Guardianship}
        self.circle_ids: dict = {}  # (user pk, day) -> {child ids of the circles the user is in}
        self.visible_ids: dict = {}  # (user pk, category) -> subquery of visible children's ids
        self.decisions: dict = {}  # (user pk, arguments..., language) -> Decision
        self.values: dict = {}  # other per-request values built on the above (the menu: apps.core.extensions)


_scope: contextvars.ContextVar["PolicyMemo | None"] = contextvars.ContextVar("driehoek_policy_memo", default=None)


@contextmanager
def policy_scope():
    """One memo for the code inside: a request (`apps.access.middleware.PolicyMemoMiddleware`) or a task
    (`apps/access/apps.py`). Nested scopes (a task run at once inside a request) get their own."""
    token = _scope.set(PolicyMemo())
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


def current_memo(user=None) -> PolicyMemo | None:
    """The memo of the running request or task; without one, the partial memo on `user` (or None)."""
    memo = _scope.get()
    if memo is not None or user is None:
        return memo
    attrs = user.__dict__
    reset = [attrs.pop(name, False) for name in ("_driehoek_memberships", "_driehoek_visible_ids")]
    if None in reset:  # older callers reset the cache this way ("the same person in a new request")
        attrs.pop("_driehoek_memo", None)
    if "_driehoek_memo" not in attrs:
        attrs["_driehoek_memo"] = PolicyMemo(full=False)
    return attrs["_driehoek_memo"]


def request_value(key, build):
    """A value built once per request or task (`PolicyMemo.values`) and dropped with the memo; outside a
    request or task it is built each time. For what many links or cards of one page would each query."""
    memo = _scope.get()
    if memo is None:
        return build()
    if key not in memo.values:
        memo.values[key] = build()
    return memo.values[key]


def forget(user=None) -> None:
    """Forget what was read and decided: the running scope's memo, and the partial memo on `user`."""
    memo = _scope.get()
    if memo is not None:
        memo.clear()
    if user is not None:
        user.__dict__.pop("_driehoek_memo", None)


def active_memberships(user) -> list[Membership]:
    """All of the user's active memberships, also at an inactive school or organisation (the two-factor rule
    asks for these), read once per request; `memberships_of` filters the effective ones from them."""
    memo = current_memo(user)
    key = ("active", user.pk)
    if key not in memo.memberships:
        memo.memberships[key] = list(
            Membership.objects.filter(user=user, active=True)
            .select_related("school__board", "organisation", "board")
            .prefetch_related("groups")
        )
    return memo.memberships[key]


def memberships_of(user) -> list[Membership]:
    """The user's effective roles (an inactive school or organisation gives none), read once per request.

    The same rule as `Membership.objects.effective()` (`Membership.is_effective`), on the active ones."""
    memo = current_memo(user)
    if user.pk not in memo.memberships:
        memo.memberships[user.pk] = [m for m in active_memberships(user) if m.is_effective]
    return memo.memberships[user.pk]


def guardianships_of(user) -> dict:
    """Child id → this user's guardianship of that child, read once per request (outside one: each time)."""
    from apps.circles.models import Guardianship

    memo = current_memo(user)
    if not memo.full:
        return {g.child_id: g for g in Guardianship.objects.filter(user=user)}
    if user.pk not in memo.guardianships:
        memo.guardianships[user.pk] = {g.child_id: g for g in Guardianship.objects.filter(user=user)}
    return memo.guardianships[user.pk]


def circle_child_ids(user, today: date) -> set:
    """The children in whose circle this user is today (one query per request)."""
    from apps.circles.models import CircleMember

    memo = current_memo(user)
    key = (user.pk, today)
    if not memo.full or key not in memo.circle_ids:
        ids = set(CircleMember.objects.current(today).filter(user=user).values_list("child_id", flat=True))
        if not memo.full:
            return ids
        memo.circle_ids[key] = ids
    return memo.circle_ids[key]


def _consents_of(user, category: str, today: date) -> dict:
    """Per child, the valid consents that bring this outside professional in, fetched once per request (or
    user object) and day, so a list costs the same for one child as for many. The consents are read and
    checked once for every category (those of `Category.BASIC`: any valid consent covering the person); a
    category's share is picked from them by the consent's scopes (docs/performance.md)."""
    memo = current_memo(user)
    key = (user.pk, str(category), today)
    if key not in memo.consents:
        every = (user.pk, str(Category.BASIC), today)
        if every not in memo.consents:
            from apps.consent.services import valid_consents_by_child

            memo.consents[every] = valid_consents_by_child(user, Category.BASIC, today)
        if key != every:
            found = {}
            for child_id, consents in memo.consents[every].items():
                if scoped := [c for c in consents if category in c.category_values]:
                    found[child_id] = scoped
            memo.consents[key] = found
    return memo.consents[key]


def consents_covering(user, child_ids, category: str = Category.BASIC, on: date | None = None) -> dict:
    """Per child of `child_ids`: the valid consents that bring this outside professional in for `category`,
    from the request's memo (the same consents the policy decided with)."""
    found = _consents_of(user, category, on or timezone.localdate())
    return {pk: found[pk] for pk in child_ids if pk in found}


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


def _guardianship(user, child):
    """The user's guardianship of this child: from the child's prefetched guardians when loaded (a list),
    else from the user's own guardianships, read once per request."""
    cached = getattr(child, "_prefetched_objects_cache", {}).get("guardianships")
    if cached is not None:
        return next((g for g in cached if g.user_id == user.pk), None)
    return guardianships_of(user).get(child.pk)


def _guardian_decision(user, action, child, category, today, owner=None) -> Decision | None:
    guardianship = _guardianship(user, child)
    if guardianship is None:
        return None
    role = str(guardianship.get_relation_display())
    if action == Action.CONSENT_OPP and not guardianship.has_authority:
        reason = _(
            "Alleen ouders met gezag stemmen in met het handelingsdeel van het OPP. "
            "U kunt de school wel om informatie vragen en uw mening laten weten."
        )
        return Decision(False, role=role, reason=str(reason))
    if guardianship.information_mode != guardianship.InformationMode.FULL or not guardianship.has_authority:
        return information_allows(guardianship, action, child, category, today, owner)
    if action == Action.REQUEST_INFORMATION:
        return Decision(False, role=role, reason=str(_("Als ouder met gezag krijgt u al alle informatie.")))
    if action == Action.SET_PARENT_VIEW:
        return Decision(False, role=role, reason=str(_("Vanaf 16 jaar beslist het kind zelf wat ouders zien.")))
    if kept := _young_person_keeps(child, category, today):
        return Decision(False, role=role, reason=kept)
    if action in READ_ACTIONS or action == Action.VIEW_LOG:
        return Decision(True, role=role, basis=str(_("als ouder/verzorger")))
    if action in WRITE_ACTIONS or action == Action.EXPORT:
        return Decision(True, role=role, basis=str(_("als ouder met gezag")))
    if action == Action.CONSENT_OPP:
        # School law, not the Jeugdwet: the parents with gezag consent to the handelingsdeel, also after 16.
        if category != Category.SUPPORT:
            return Decision(False, role=role, reason=str(_("Dit kan een ouder niet doen.")))
        if guardianship.authority_status != guardianship.Authority.CONFIRMED:
            return Decision(
                False,
                role=role,
                reason=str(
                    _("De school heeft uw gezag nog niet bevestigd. Tot dan kunt u niet instemmen met het OPP.")
                ),
            )
        return Decision(True, role=role, basis=str(_("als ouder met gezag")))
    if action in CONSENT_SIGNING:
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


def information_allows(guardianship, action, child, category, today, owner=None) -> Decision:
    """A parent without gezag (BW 1:377c, docs/guardians-and-gezag.md): nothing automatically. In mode "on
    request" they may ask the school, and read only what the school granted: the school progress and
    development (`INFORMATION_CATEGORIES`), never what youth care recorded (they are a third party there),
    while the grant holds. In mode "none" nothing at all. A father who did not recognise the child has no
    right to information."""
    role = str(guardianship.get_relation_display())
    mode = guardianship.InformationMode
    if guardianship.information_mode == mode.NONE:
        reason = _("De school heeft vastgelegd dat u geen informatie over %(name)s krijgt.")
        return Decision(False, role=role, reason=str(reason % {"name": child.first_name}))
    if guardianship.relation == guardianship.Relation.FATHER and guardianship.recognised_child is not True:
        reason = _("Een vader zonder gezag heeft alleen recht op informatie als hij het kind heeft erkend.")
        return Decision(False, role=role, reason=str(reason))
    if action == Action.REQUEST_INFORMATION:
        return Decision(True, role=role, basis=str(_("informatie op verzoek (art. 1:377c BW)")))
    refusal = Decision(
        False,
        role=role,
        reason=str(
            _("U krijgt informatie over %(name)s op verzoek. Vraag de school om informatie.")
            % {"name": child.first_name}
        ),
    )
    if action not in READ_ACTIONS or category not in INFORMATION_CATEGORIES:
        return refusal
    if owner is not None and owner.is_care:
        reason = _("Informatie van de jeugdhulp valt niet onder informatie op verzoek.")
        return Decision(False, role=role, reason=str(reason))
    if kept := _young_person_keeps(child, category, today):
        return Decision(False, role=role, reason=kept)
    if not _granted_information(guardianship.user_id, child.pk, today):
        return refusal
    return Decision(True, role=role, basis=str(_("informatie op verzoek (art. 1:377c BW)")))


def _granted_information(user_id, child_id, today) -> bool:
    return _granted_q(today).filter(requester_id=user_id, child_id=child_id).exists()


def _granted_q(today):
    from apps.circles.models import InformationRequest

    return InformationRequest.objects.filter(status=InformationRequest.Status.GRANTED, valid_until__gte=today)


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
    if action in CONSENT_SIGNING and consent_rules.may_sign(user, child, today):
        return Decision(True, role=role, basis=str(_("eigen dossier")))
    if action == Action.CONSENT_OPP:
        return Decision(False, role=role, reason=str(_("Je ouders met gezag stemmen in met het handelingsdeel.")))
    return Decision(False, role=role, reason=str(_("Dit kun je niet zelf doen.")))


def _in_circle(user, child, today) -> bool:
    return child.pk in circle_child_ids(user, today)


def has_left(child: Child, today: date) -> bool:
    """The pupil left the school (the import's sync set the date): the file stays, read-only (docs/import.md)."""
    return child.left_on is not None and child.left_on <= today


def _in_school_scope(membership: Membership, child: Child, user, today) -> bool:
    if membership.school_id != child.school_id:
        return False
    if membership.role != Role.TEACHER:
        return True
    if has_left(child, today):  # no longer in anyone's class; the IB'er and the director keep the file
        return False
    if any(g.pk == child.group_id for g in membership.groups.all()):
        return True
    # A teacher outside the class who was added to the circle (e.g. remedial teacher).
    return _in_circle(user, child, today)


def _school_decision(user, action, child, category, today, owner=None) -> Decision | None:
    for m in memberships_of(user):
        if not m.is_school_role or not _in_school_scope(m, child, user, today):
            continue
        allowed_categories = SCHOOL_RIGHTS.get(m.role, {}).get(action)
        if allowed_categories and category in allowed_categories:
            label = str(m.get_role_display())
            allowed, consent = owner_allows(user, m, child, category, owner, today)
            if not allowed:
                reason = _(
                    "Dit is vastgelegd door een andere organisatie. De school ziet het alleen met toestemming "
                    "van de familie."
                )
                return Decision(False, role=label, organisation=m.organisation_name, reason=str(reason))
            purpose = PURPOSE_ADMINISTRATION if m.role == Role.SCHOOL_ADMIN else PURPOSE_EDUCATION
            if consent is not None:
                basis = str(_("toestemming aan de school"))
                return Decision(
                    True, role=label, organisation=m.organisation_name, basis=basis, consent=consent, purpose=purpose
                )
            return Decision(True, role=label, organisation=m.organisation_name, basis=label, purpose=purpose)
    return None


def owner_allows(user, membership: Membership, child, category, owner: Owner | None, today) -> tuple:
    """School staff and a record's owner (R3, docs/record-owner.md): what their own school recorded they read
    by their school role; what a youth-care organisation or another school recorded only through a valid
    consent to their school that covers the category. Returns (allowed, the consent relied on or None).
    `owner` None: a decision about the child, not about one record."""
    if owner is None or (owner.organisation_id is None and owner.school_id in (None, membership.school_id)):
        return True, None
    consent = _school_consents_of(user, membership.school_id, category, today).get(child.pk)
    return consent is not None, consent


def _school_consents_of(user, school_id, category: str, today: date) -> dict:
    """Per child of the school: the valid consent to the school for `category`, once per request (the memo) and day."""
    cache = current_memo(user).consents
    key = ("school", school_id, today)
    if key not in cache:
        from apps.consent.services import valid_school_consents_by_school

        # Every school the user works at in one read: an IB'er of many schools costs what one of one does.
        schools = {school_id, *(m.school_id for m in memberships_of(user) if m.is_school_role and m.school_id)}
        missing = [s for s in sorted(schools) if ("school", s, today) not in cache]
        for s, found in valid_school_consents_by_school(missing, today).items():
            cache[("school", s, today)] = found
    return cache[key][category]


def _consent_decision(user, action, child, category, today) -> Decision | None:
    """Outside professionals: only a valid consent that covers them brings them in (docs/youth-care.md)."""
    outside = [m for m in memberships_of(user) if m.role in OUTSIDE_ROLES]
    if not outside:
        return None
    m = outside[0]
    label = str(m.get_role_display())
    if action == Action.ASSIGN:
        return _assign_decision(user, child, today, outside)
    if action in REFERRAL_ACTIONS:
        return _referral_decision(user, child, today, outside)
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
    # A referral's consent lets the organisation assign only once it accepted the referral (docs/youth-care.md).
    for consent in Consent.objects.filter(
        Q(referral__isnull=True) | Q(referral__status__in=REFERRAL_TAKEN_ON),
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


# NEN 7513 purpose of use per rule (the values of apps.audit.models.AccessLogEntry.Purpose).
PURPOSE_FAMILY, PURPOSE_EDUCATION, PURPOSE_CARE, PURPOSE_ATTENDANCE = "family", "education", "care", "attendance"
PURPOSE_ADMINISTRATION = "administration"
REFERRAL_ACTIONS = {Action.RECEIVE_REFERRAL, Action.ANSWER_REFERRAL}
# Referral statuses (apps/referrals/models.py, `Referral.Status`) in which the receiving organisation holds it.
REFERRAL_OPEN = ("waiting_consent", "sent", "accepted", "assigned")
REFERRAL_TAKEN_ON = ("accepted", "assigned")


def _referrals_of(user, today: date) -> dict:
    """Per child, the consents of referrals to this user's organisations that are open and valid today,
    fetched once per request (the memo) and day, so an inbox costs the same for one child as for many."""
    cache = current_memo(user).consents
    key = (user.pk, "referrals", today)
    if key not in cache:
        org_ids = [m.organisation_id for m in memberships_of(user) if m.role in OUTSIDE_ROLES and m.organisation_id]
        found: dict = {}
        for consent in (
            Consent.objects.filter(
                organisation_id__in=org_ids,
                grantee__isnull=True,
                revoked_at__isnull=True,
                completed_at__isnull=False,
                referral__status__in=REFERRAL_OPEN,
            )
            .select_related("child", "organisation")
            .prefetch_related("signatures", "child__guardianships__user")
        ):
            if consent_rules.is_valid(consent, today):
                found.setdefault(consent.child_id, []).append(consent)
        cache[key] = found
    return cache[key]


def _referral_decision(user, child, today, outside: list[Membership]) -> Decision:
    """Staff of the receiving organisation read and answer a referral while its consent is valid."""
    consents = _referrals_of(user, today).get(child.pk)
    if consents:
        member = next(x for x in outside if x.organisation_id == consents[0].organisation_id)
        return Decision(
            True,
            role=str(member.get_role_display()),
            organisation=member.organisation_name,
            basis=str(_("verwijzing met toestemming van de familie")),
            consent=consents[0],
        )
    return Decision(
        False,
        role=str(outside[0].get_role_display()),
        organisation=outside[0].organisation_name,
        reason=str(_("Er is geen verwijzing met geldige toestemming aan uw organisatie.")),
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


def _memoised(decide_function):
    """Make each decision once per request or task: the key is every argument (a model by its pk) and the
    active language (a decision's texts are translated). Outside a scope nothing is kept."""

    def key_part(value):
        return (value._meta.label, value.pk) if hasattr(value, "_meta") else value

    @functools.wraps(decide_function)
    def wrapper(user, *args, **kwargs):
        memo = _scope.get()
        pk = getattr(user, "pk", None)
        child = args[1] if len(args) > 1 else kwargs.get("child")
        if memo is None or pk is None or getattr(child, "pk", None) is None:
            return decide_function(user, *args, **kwargs)
        key = (pk, *map(key_part, args), *sorted((k, key_part(v)) for k, v in kwargs.items()))
        key = (*key, translation.get_language())
        if key not in memo.decisions:
            memo.decisions[key] = decide_function(user, *args, **kwargs)
        return memo.decisions[key]

    return wrapper


@_memoised
def decide(
    user,
    action: str,
    child: Child,
    category: str = Category.BASIC,
    on: date | None = None,
    *,
    owner: Owner | None = None,
) -> Decision:
    """Decide one request. Fails closed: anything unknown is a refusal. Made once per request (`_memoised`).

    `owner`: the organisation that recorded the record this is about (`owner.owner_of(record)`); None for a
    decision about the child as a whole (a page, a list that filters with `visible_q(..., owner=...)`)."""
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
    for purpose, rule in (
        (PURPOSE_FAMILY, lambda: _guardian_decision(user, action, child, category, today, owner)),
        (PURPOSE_FAMILY, lambda: _own_record_decision(user, action, child, today)),
        (PURPOSE_EDUCATION, lambda: _school_decision(user, action, child, category, today, owner)),
        (PURPOSE_CARE, lambda: _consent_decision(user, action, child, category, today)),
        (PURPOSE_ATTENDANCE, lambda: _purpose_decision(user, action, child, category, today)),
    ):
        decision = rule()
        if decision is None:
            continue
        decision.purpose = decision.purpose or purpose
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
    Action.REVOKE_CONSENT: "revoke",
    Action.SET_PARENT_VIEW: "change",
    Action.INVITE_FAMILY: "change",
    Action.CONFIRM_AUTHORITY: "change",
    Action.ASSIGN: "view",
    Action.DRAFT_OPP: "change",
    Action.CONSENT_OPP: "sign",
    Action.RECEIVE_REFERRAL: "view",
    Action.ANSWER_REFERRAL: "change",
    Action.REQUEST_INFORMATION: "create",
    Action.DECIDE_INFORMATION: "change",
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


# NEN 7513 access point (apps.audit.models.AccessLogEntry.AccessPoint) per channel; an export is an export
# whatever the channel.
ACCESS_POINTS = {"web": "page", "api": "api", "feed": "feed", "job": "task", "import": "import"}


def _person(user) -> tuple:
    if user is None:
        return None, ""
    return (user.pk if getattr(user, "pk", None) else None), str(
        getattr(user, "full_name", "") or getattr(user, "email", "") or "anoniem"
    )


def _nen7513_values(actor: Actor, decision: Decision, action) -> dict:
    """Purpose of use, responsible user and access point (docs/audit-log.md, "NEN 7513 fields")."""
    responsible_id, responsible_name = _person(actor.on_behalf_of or actor.user)
    access_point = actor.access_point or (
        "export" if action == Action.EXPORT else ACCESS_POINTS.get(actor.channel, "page")
    )
    return {
        "purpose": actor.purpose or decision.purpose,
        "responsible_id": responsible_id,
        "responsible_name": responsible_name[:150],
        "access_point": access_point,
    }


def _log_values(actor: Actor, decision: Decision, action, child, category, obj, label) -> dict:
    user = actor.user
    return {
        **_nen7513_values(actor, decision, action),
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
            decision = decide(actor.user, action, child, category, owner=owner_of(obj))
        except Exception:  # fail closed (SEC-17)
            security_log.exception("access decision failed")
            decision = Decision(False, reason=str(_("Toegang kon niet worden bepaald.")))
        append([_log_values(actor, decision, action, child, category, obj, label or _default_label(category))])
    if not decision.allowed:
        decision = _in_readers_language(decision, actor, action, child, category, obj)
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


def _in_readers_language(decision: Decision, actor: Actor, action, child, category, obj) -> Decision:
    """The refusal as the refused person reads it: decided again in the active language (the log got Dutch).
    The memo keys decisions by language, so this costs no queries the first decision did not make."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return decision
    try:
        again = decide(actor.user, action, child, category, owner=owner_of(obj))
    except Exception:  # fail closed (SEC-17)
        return Decision(False, role=decision.role, reason=str(_("Toegang kon niet worden bepaald.")))
    return decision if again.allowed else again


def refuse(actor: Actor, action: str, child: Child, category: str, reason: str, *, obj=None, label: str = ""):
    """For an app rule on top of `decide` (a `permissions.py`) that refuses someone `decide` lets in: log the
    refusal like any other, with the app's reason, and raise AccessDenied."""
    with translation.override(settings.LANGUAGE_CODE):
        decision = decide(actor.user, action, child, category)
        refusal = Decision(False, role=decision.role, organisation=decision.organisation, reason=str(reason))
        append([_log_values(actor, refusal, action, child, category, obj, label or _default_label(category))])
    # The log keeps Dutch; the person refused reads the reason in their own language (a lazy reason translates).
    refusal.reason = str(reason)
    raise AccessDenied(refusal)


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
    entries = []
    with translation.override(settings.LANGUAGE_CODE):
        for child_id, category in pairs:
            child = children[child_id]
            try:
                decision = decide(user, action, child, category, today)
            except Exception:  # fail closed (SEC-17)
                security_log.exception("access decision failed")
                decision = Decision(False, reason=str(_("Toegang kon niet worden bepaald.")))
            entries.append(
                _log_values(actor, decision, action, child, category, None, label or _("de leerlingenlijst"))
            )
    append(entries)


def _children_for_deciding(children: dict) -> dict:
    """The children with what the rules read (school, class, own account, guardians), in two queries, or
    none when the caller loaded them so (guardians prefetched)."""
    if all("guardianships" in getattr(c, "_prefetched_objects_cache", {}) for c in children.values()):
        return children
    ids = list(children)
    return {
        c.pk: c
        for c in Child.objects.filter(pk__in=ids)
        .select_related("school", "group", "user")
        .prefetch_related("guardianships")
    }


def _default_label(category: str) -> str:
    return {
        Category.BASIC: _("de basisgegevens en de kring"),
        Category.DEVELOPMENT: _("de ontwikkeling op school"),
        Category.SUPPORT: _("de ondersteuning en het plan"),
        Category.HEALTH: _("gezondheid en verzuim"),
    }[Category(category)]


@dataclass
class _VisibleParts:
    """The children a user sees in one category, split by what the owner dimension adds (docs/record-owner.md):
    `any_owner` (family with gezag, the child itself, outside professionals by consent: every owner),
    `not_care` (a parent without gezag with a granted request: not what youth care recorded) and per school
    membership the school's children (what the school recorded, or anything with a consent to the school)."""

    any_owner: Q
    not_care: Q
    schools: list  # (school_id, Q on Child)


def _visible_parts(user, category: str, today: date) -> _VisibleParts:
    from apps.circles.models import Guardianship

    mode = Guardianship.InformationMode
    shared = consent_rules.shared_with_parents_q(category, today)
    full = Guardianship.objects.filter(user=user, has_authority=True, information_mode=mode.FULL)
    condition = Q(pk__in=full.values("child_id")) & shared
    twelve_years_ago = _years_before(today, 12)
    condition |= Q(user=user, date_of_birth__lte=twelve_years_ago)
    not_care = Q(pk__in=[])
    if category in INFORMATION_CATEGORIES:
        may_ask = (
            Guardianship.objects.filter(user=user, has_authority=False, information_mode=mode.ON_REQUEST)
            .filter(~Q(relation=Guardianship.Relation.FATHER) | Q(recognised_child=True))
            .values("child_id")
        )
        granted = _granted_q(today).filter(requester=user).values("child_id")
        not_care = Q(pk__in=may_ask) & Q(pk__in=granted) & shared
    schools = []
    for m in memberships_of(user):
        if not m.is_school_role:
            continue
        if category not in SCHOOL_RIGHTS.get(m.role, {}).get(Action.VIEW, frozenset()):
            continue
        if m.role == Role.TEACHER:
            still_here = Q(left_on__isnull=True) | Q(left_on__gt=today)
            school_q = Q(school_id=m.school_id, group__in=[g.pk for g in m.groups.all()]) & still_here
            school_q |= still_here & Q(
                school_id=m.school_id,
                pk__in=Child.objects.filter(circle__user=user, circle__since__lte=today)
                .filter(Q(circle__until__isnull=True) | Q(circle__until__gte=today))
                .values("pk"),
            )
        else:
            school_q = Q(school_id=m.school_id)
        schools.append((m.school_id, school_q))
    if any(m.role in OUTSIDE_ROLES for m in memberships_of(user)):
        condition |= Q(pk__in=list(_consents_of(user, category, today)))
    return _VisibleParts(any_owner=condition, not_care=not_care, schools=schools)


def visible_children(user, category: str = Category.BASIC, on: date | None = None):
    """Children whose data in `category` this user may see, as one queryset (same rule as `decide`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    today = on or timezone.localdate()
    parts = _visible_parts(user, category, today)
    condition = parts.any_owner | parts.not_care
    for _school_id, school_q in parts.schools:
        condition |= school_q
    return Child.objects.filter(pk__in=Child.objects.filter(condition).values("pk"))


def owner_q(user, category: str, path: str = "child", owner: str = "", on: date | None = None) -> Q:
    """`visible_q` with the owner dimension: records (owner fields at the prefix `owner`, e.g. "" or
    "message__") whose child is at `path`, that this user may see by child, category **and owner** — the same
    rule as `decide(..., owner=owner_of(record))` (docs/record-owner.md)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    today = on or timezone.localdate()
    cache = user.__dict__.setdefault("_driehoek_visible_parts", {})
    if (category, today) not in cache:
        cache[(category, today)] = _visible_parts(user, category, today)
    parts = cache[(category, today)]
    no_care = Q(**{f"{owner}owner_organisation__isnull": True})
    condition = Q(**{f"{path}__in": Child.objects.filter(parts.any_owner).values("pk")})
    condition |= Q(**{f"{path}__in": Child.objects.filter(parts.not_care).values("pk")}) & no_care
    for school_id, school_q in parts.schools:
        own = no_care & (Q(**{f"{owner}owner_school": school_id}) | Q(**{f"{owner}owner_school__isnull": True}))
        consented = Q(**{f"{path}__in": list(_school_consents_of(user, school_id, category, today))})
        condition |= Q(**{f"{path}__in": Child.objects.filter(school_q).values("pk")}) & (own | consented)
    return condition


def visible_child_ids(user, category: str = Category.BASIC):
    """`visible_children` as a subquery of ids, built once per request or task (the memo), so several
    lists and counts filtering on it do not repeat the policy's own queries."""
    memo = current_memo(user)
    key = (user.pk, str(category))
    if key not in memo.visible_ids:
        memo.visible_ids[key] = visible_children(user, category).values("pk")
    return memo.visible_ids[key]


def visible_q(user, category: str = Category.BASIC, path: str = "child", owner: str | None = None) -> Q:
    """Objects whose child (at `path`, e.g. "conversation__child") this user may see in `category`: the
    filter every list, feed, search and export of child-related objects is built from. For records that
    carry an owner (`apps/access/owner.py`), `owner` is the prefix of their owner fields ("" for the
    object itself) and the filter applies the owner dimension too (`owner_q`)."""
    if owner is not None:
        return owner_q(user, category, path, owner)
    return Q(**{f"{path}__in": visible_child_ids(user, category)})


def visible_q_by_category(user, category_of: dict, field: str, path: str = "child", owner: str | None = None) -> Q:
    """For objects whose category follows from a field (a conversation's kind, a thread's category):
    `category_of` maps each value of `field` to its category; one subquery per distinct rule."""
    values_by_category: dict[str, list] = {}
    for value, category in category_of.items():
        values_by_category.setdefault(str(category), []).append(value)
    condition = Q(pk__in=[])
    for category, values in values_by_category.items():
        condition |= Q(**{f"{field}__in": values}) & visible_q(user, category, path, owner)
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
