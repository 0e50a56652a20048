"""Case reviews: start one with the family's consent, record who took part and how fitting they found the help,
what helped and hindered, and the action points that enter the child's plan or the school's board; and the
anonymous summary over reviews for a school and a region (docs/learning-community.md).

Every read and write goes through the one policy (`authorize`, category "ondersteuning en plan") and is logged;
the extra "who may" rules are in `permissions.py`."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.owner import owner_for_author
from apps.access.policy import Action, authorize, log_list, refuse, visible_q
from apps.audit.log import Actor
from apps.consent import rules as consent_rules
from apps.consent.models import Category, Consent
from apps.meetings import services as meeting_services
from apps.meetings.keys import SevenKey
from apps.plans import services as plan_services

from . import permissions
from .models import FIT_MAX, FIT_MIN, ActionPoint, CaseReview, Factor, Level, Participant

CATEGORY = Category.SUPPORT
# The anonymous summary is shown only over at least this many reviews (of different children).
SUMMARY_THRESHOLD = 5
LABEL = gettext_lazy("een casusreview")
TIMELINE_ITEMS = 12  # the newest timeline entries shown on the review, oldest first


def no_consent_message() -> str:
    return _(
        "Er is geen geldige toestemming van de familie voor een casusreview. Vraag de ouders met gezag (en het kind "
        "vanaf 12 jaar) eerst om toestemming voor 'ondersteuning en plan'."
    )


def review_consent(child, on: date | None = None) -> Consent | None:
    """The family's valid consent that covers support and plan (to the school or to an organisation at the
    table), or None. `apps.consent.rules.is_valid` decides validity (who signed, age, dates, revoked)."""
    on = on or timezone.localdate()
    candidates = (
        Consent.objects.filter(child=child, revoked_at__isnull=True, scopes__category=CATEGORY)
        .select_related("child")
        .prefetch_related("signatures", "child__guardianships__user")
        .order_by("-created_at")
    )
    valid = [c for c in candidates if consent_rules.is_valid(c, on)]
    valid.sort(key=lambda c: c.school_id is None)  # a consent to the school first, then the newest
    return valid[0] if valid else None


def _require_consent(review: CaseReview) -> None:
    """Before each change: the consent must still hold (read afresh: it may have been revoked meanwhile)."""
    current = Consent.objects.prefetch_related("signatures", "child__guardianships__user").get(pk=review.consent_id)
    if not consent_rules.is_valid(current):
        fresh = review_consent(review.child)
        if fresh is None:
            raise ValidationError(
                _(
                    "De toestemming van de familie geldt niet meer. "
                    "De casusreview kan pas verder met nieuwe toestemming."
                )
            )
        CaseReview.objects.filter(pk=review.pk).update(consent=fresh)
        review.consent = fresh


def authorize_coordinator(actor: Actor, review_or_child, action=Action.CHANGE) -> None:
    child = getattr(review_or_child, "child", review_or_child)
    obj = review_or_child if isinstance(review_or_child, CaseReview) else None
    authorize(actor, action, child, CATEGORY, obj=obj, label=LABEL)
    if not permissions.may_coordinate(actor.user, child):
        refuse(
            actor,
            action,
            child,
            CATEGORY,
            _("Alleen de IB'er of de directeur van de school leidt een casusreview."),
            obj=obj,
            label=LABEL,
        )


def _family_role(child, user) -> str | None:
    if child.user_id and child.user_id == user.pk:
        return str(_("kind zelf"))
    guardianship = next((g for g in child.guardianships.all() if g.user_id == user.pk), None)
    return str(guardianship.get_relation_display()) if guardianship else None


def start_review(actor: Actor, child, *, held_on: date | None = None) -> CaseReview:
    """Start a review of this child: only the coordinator, only with the family's valid consent. The
    coordinator and the child's guardians take part from the start."""
    authorize_coordinator(actor, child, Action.CREATE)
    consent = review_consent(child)
    if consent is None:
        raise ValidationError(no_consent_message())
    with transaction.atomic():
        review = CaseReview.objects.create(
            child=child,
            school_id=child.school_id,
            coordinator=actor.user,
            consent=consent,
            held_on=held_on or timezone.localdate(),
            **owner_for_author(actor.user, child).as_fields(),
        )
        Participant.objects.create(
            review=review, user=actor.user, perspective=Participant.Perspective.PROFESSIONAL, role=_role_of(actor.user)
        )
        for guardianship in child.guardianships.select_related("user"):
            Participant.objects.get_or_create(
                review=review,
                user=guardianship.user,
                defaults={
                    "perspective": Participant.Perspective.FAMILY,
                    "role": str(guardianship.get_relation_display()),
                },
            )
    return review


def _role_of(user) -> str:
    from apps.access.policy import memberships_of

    roles = memberships_of(user)
    return str(roles[0].get_role_display()) if roles else ""


def people_for(child):
    """Who may sit at the review's table and own a point: the child's circle (plan rules) and the school's staff."""
    from django.db.models import Q

    from apps.accounts.models import User
    from apps.organisations.models import SCHOOL_ROLES, Membership

    staff = Membership.objects.effective().filter(school_id=child.school_id, role__in=[r.value for r in SCHOOL_ROLES])
    return User.objects.filter(
        Q(pk__in=plan_services.circle_users(child).order_by().values("pk")) | Q(pk__in=staff.values("user_id")),
        is_active=True,
    ).order_by("full_name", "pk")


def add_participant(actor: Actor, review: CaseReview, user) -> Participant:
    """Add someone of the child's circle (a parent, the child, a professional) to the review."""
    authorize_coordinator(actor, review)
    _require_consent(review)
    if user is None or not people_for(review.child).filter(pk=user.pk).exists():
        raise ValidationError(
            _("Deze persoon hoort niet bij de kring van %(name)s.") % {"name": review.child.first_name}
        )
    if review.participants.filter(user=user).exists():
        raise ValidationError(_("Deze persoon doet al mee."))
    family = _family_role(review.child, user)
    return Participant.objects.create(
        review=review,
        user=user,
        perspective=Participant.Perspective.FAMILY if family else Participant.Perspective.PROFESSIONAL,
        role=family or _role_of(user),
    )


def clean_fit(value) -> int:
    """The answer to "how fitting was the help": a whole number from 1 (not at all) to 5 (completely)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not FIT_MIN <= number <= FIT_MAX:
        raise ValidationError(_("Kies een getal van 1 (helemaal niet passend) tot 5 (helemaal passend)."))
    return number


def set_fit(actor: Actor, review: CaseReview, participant: Participant, value, note: str = "") -> Participant:
    """One participant's answer; everyone answers for themselves, the coordinator may note what was said."""
    authorize(actor, Action.CHANGE, review.child, CATEGORY, obj=review, label=LABEL)
    if participant.review_id != review.pk:
        raise ValidationError(_("Deze deelnemer hoort bij een andere casusreview."))
    if not permissions.may_give_fit(actor.user, review, participant):
        refuse(actor, Action.CHANGE, review.child, CATEGORY, _("U geeft alleen uw eigen antwoord."), obj=review)
    _require_consent(review)
    participant.fit = clean_fit(value)
    participant.fit_note = (note or "").strip()[:500]
    participant.save(update_fields=["fit", "fit_note"])
    return participant


def _clean_key(key: str) -> str:
    if key and key not in SevenKey.values:
        raise ValidationError(_("Kies een van de zeven sleutels."))
    return key or ""


def add_factor(actor: Actor, review: CaseReview, *, kind: str, level: str, text: str, key: str = "") -> Factor:
    """What helped or hindered, at the level of the people, the organisations or policy."""
    authorize_coordinator(actor, review)
    _require_consent(review)
    errors = {}
    if kind not in Factor.Kind.values:
        errors["kind"] = _("Kies of dit hielp of belemmerde.")
    if level not in Level.values:
        errors["level"] = _("Kies het niveau: mensen, organisaties of beleid.")
    if not (text or "").strip():
        errors["text"] = _("Schrijf op wat hielp of belemmerde.")
    try:
        key = _clean_key(key)
    except ValidationError as e:
        errors["key"] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    return Factor.objects.create(
        review=review, kind=kind, level=level, key=key, text=text.strip()[:500], created_by=actor.user
    )


def add_action_point(
    actor: Actor, review: CaseReview, *, text: str, destination: str, owner, due=None, key: str = ""
) -> ActionPoint:
    """An agreed action point. To the plan: an agreement through the plan's own rules (owner in the circle,
    a date not in the past). To the board: an action of the school (owner works at the school)."""
    authorize_coordinator(actor, review)
    _require_consent(review)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Schrijf op wat er is afgesproken.")})
    if destination not in ActionPoint.Destination.values:
        raise ValidationError({"destination": _("Kies waar het actiepunt komt: het plan of het actiebord.")})
    key = _clean_key(key)
    with transaction.atomic():
        point = ActionPoint(review=review, text=text[:500], destination=destination, key=key, created_by=actor.user)
        if destination == ActionPoint.Destination.PLAN:
            point.agreement = plan_services.add_agreement(actor, review.child, what=text, owner=owner, due=due)
        else:
            if owner is None:
                raise ValidationError({"owner": _("Kies wie deze actie uitvoert.")})
            # No child's name goes to the board: the action names only what the school will do.
            point.board_action = meeting_services.create_action(
                school=review.school, by=actor.user, title=text[:300], owner=owner, key=key
            )
        point.save()
    return point


@transaction.atomic
def close_review(actor: Actor, review: CaseReview) -> CaseReview:
    authorize_coordinator(actor, review)
    review.status = CaseReview.Status.CLOSED
    review.save(update_fields=["status"])
    return review


# --- reading ---------------------------------------------------------------------------------------------------


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


@dataclass
class ReviewView:
    review: CaseReview
    family: list
    professionals: list
    family_fit: float | None
    professional_fit: float | None
    helped: list
    hindered: list
    action_points: list
    consent_valid: bool


def read_review(actor: Actor, review: CaseReview) -> ReviewView:
    """The review for someone the policy lets see the child's support data; the read is logged."""
    authorize(actor, Action.VIEW, review.child, CATEGORY, obj=review, label=LABEL)
    participants = list(review.participants.select_related("user"))
    family = [p for p in participants if p.perspective == Participant.Perspective.FAMILY]
    professionals = [p for p in participants if p.perspective == Participant.Perspective.PROFESSIONAL]
    factors = list(review.factors.all())
    return ReviewView(
        review=review,
        family=family,
        professionals=professionals,
        family_fit=_mean(p.fit for p in family),
        professional_fit=_mean(p.fit for p in professionals),
        helped=[f for f in factors if f.kind == Factor.Kind.HELPED],
        hindered=[f for f in factors if f.kind == Factor.Kind.HINDERED],
        action_points=list(review.action_points.select_related("agreement", "board_action")),
        consent_valid=consent_rules.is_valid(review.consent),
    )


def visible_reviews(actor: Actor, *, log: bool = True):
    """The reviews of children this person may see in support and plan (the policy's filter); the list is logged."""
    reviews = list(
        CaseReview.objects.filter(visible_q(actor.user, CATEGORY, owner=""))
        .select_related("child", "school", "coordinator")
        .order_by("-held_on", "-pk")[:200]
    )
    if log:
        log_list(actor, [r.child for r in reviews], label=gettext_lazy("de lijst met casusreviews"), category=CATEGORY)
    return reviews


# --- the anonymous summary ----------------------------------------------------------------------------------------


@dataclass
class Summary:
    """Over several reviews, without names or free text: how often each hindering (and helping) factor recurs, per
    level and key, and the mean fit per perspective. `shown` is False under the threshold, with the reason."""

    n_reviews: int
    shown: bool
    reason: str = ""
    hindered: list = field(default_factory=list)  # (level label, key label, n reviews)
    helped: list = field(default_factory=list)
    family_fit: float | None = None
    professional_fit: float | None = None


def summarise(reviews) -> Summary:
    """The anonymous summary of these reviews (a queryset): shown only over at least SUMMARY_THRESHOLD children.
    A fixed number of queries whatever the number of reviews."""
    reviews = reviews.order_by()
    n_children = reviews.values("child_id").distinct().count()
    if n_children < SUMMARY_THRESHOLD:
        return Summary(
            n_reviews=n_children,
            shown=False,
            reason=_(
                "Er zijn %(n)d casusreviews. Het overzicht verschijnt vanaf %(min)d, zodat niemand te herkennen is."
            )
            % {"n": n_children, "min": SUMMARY_THRESHOLD},
        )
    counts = {Factor.Kind.HINDERED: Counter(), Factor.Kind.HELPED: Counter()}
    rows = Factor.objects.filter(review__in=reviews).values_list("kind", "level", "key", "review__child_id").distinct()
    for kind, level, key, _child in rows:
        counts[kind][(level, key)] += 1
    fits = Participant.objects.filter(review__in=reviews, fit__isnull=False).values_list("perspective", "fit")
    by_perspective: dict = {}
    for perspective, fit in fits:
        by_perspective.setdefault(perspective, []).append(fit)

    def table(counter):
        items = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return [(str(Level(level).label), str(SevenKey(key).label) if key else "—", n) for (level, key), n in items]

    return Summary(
        n_reviews=n_children,
        shown=True,
        hindered=table(counts[Factor.Kind.HINDERED]),
        helped=table(counts[Factor.Kind.HELPED]),
        family_fit=_mean(by_perspective.get(Participant.Perspective.FAMILY, [])),
        professional_fit=_mean(by_perspective.get(Participant.Perspective.PROFESSIONAL, [])),
    )


def school_summary(user, school) -> Summary:
    from django.core.exceptions import PermissionDenied

    if not permissions.may_see_school_summary(user, school):
        raise PermissionDenied(_("Het overzicht van de casusreviews is voor de IB'er en de directeur van de school."))
    return summarise(CaseReview.objects.filter(school=school))


def region_summary(user, board) -> Summary:
    from django.core.exceptions import PermissionDenied

    if not permissions.may_see_region_summary(user, board):
        raise PermissionDenied(_("Het overzicht van de regio is voor de IB'ers en directeuren van het bestuur."))
    return summarise(CaseReview.objects.filter(school__board=board))
