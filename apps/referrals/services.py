"""Writes for youth care in the circle: an organisation assigns one of its workers to a child.

Check, then do: each entry point authorizes through the access policy (logged, refusals too, so the
check stays outside the transaction that a refusal would roll back), then writes in one transaction."""

import statistics
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.access.policy import Action, authorize
from apps.accounts.models import User
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent import rules as consent_rules
from apps.consent.models import Category, Consent, ConsentEvent, ConsentScope
from apps.core.schooldays import is_school_day
from apps.notifications.services import notify
from apps.notifications.texts import Text
from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation, Membership, Role

from . import permissions, referral_flow
from .models import Assignment, JoinRequest, Referral, ReferralStep


def _works_at(user, organisation) -> bool:
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=[r.value for r in OUTSIDE_ROLES], active=True
    ).exists()


def assign_worker(actor: Actor, *, child: Child, organisation: CareOrganisation, worker) -> Assignment:
    """A colleague (or oneself) of `organisation` starts working with the child under the family's consent
    to that organisation; they are in the circle from now until the consent ends."""
    decision = authorize(actor, Action.ASSIGN, child, label=_("een medewerker toewijzen"))
    if decision.consent is None or decision.consent.organisation_id != organisation.pk:
        raise ValidationError(_("Er is geen geldige toestemming van de familie aan deze organisatie."))
    if not _works_at(actor.user, organisation):
        raise ValidationError(_("U werkt niet bij deze organisatie."))
    if not _works_at(worker, organisation):
        raise ValidationError(_("Deze persoon werkt niet bij %(org)s.") % {"org": organisation})
    return _create_assignment(actor, child=child, organisation=organisation, worker=worker, consent=decision.consent)


def _create_assignment(actor: Actor, *, child, organisation, worker, consent) -> Assignment:
    """The assignment, the family's notifications and, for a referral's consent, the referral's step to
    "assigned": all or nothing (two colleagues assigning at once: one wins, docs/youth-care.md)."""
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                child=child, organisation=organisation, worker=worker, assigned_by=actor.user
            )
            referral = Referral.objects.filter(consent=consent, status=Referral.Status.ACCEPTED).first()
            if referral is not None:
                referral_flow.move(
                    referral,
                    Referral.Status.ASSIGNED,
                    actor=actor.user,
                    note=str(worker),
                    assignment=assignment,
                )
            for g in child.guardianships.select_related("user"):
                notify(
                    g.user,
                    f"assignment:{assignment.pk}",
                    Text(
                        gettext_noop("%(name)s van %(org)s werkt nu met %(child)s, met uw toestemming aan %(org)s."),
                        name=worker,
                        org=organisation,
                        child=child.first_name,
                    ),
                    url=f"/kinderen/{child.pk}/",
                )
    except IntegrityError:
        raise ValidationError(_("Deze medewerker is al toegewezen aan dit kind.")) from None
    return assignment


def end_assignment(actor: Actor, assignment: Assignment) -> Assignment:
    """The worker stops working with the child; they leave the circle at once, their entries stay."""
    authorize(actor, Action.ASSIGN, assignment.child, label=_("een toewijzing beëindigen"))
    if not _works_at(actor.user, assignment.organisation):
        raise ValidationError(_("U werkt niet bij deze organisatie."))
    updated = Assignment.objects.filter(pk=assignment.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=actor.user
    )
    if not updated:
        raise ValidationError(_("Deze toewijzing was al beëindigd."))
    assignment.refresh_from_db()
    return assignment


def check_may_end(actor: Actor, assignment: Assignment) -> None:
    """The confirmation page shows the child's name: the same check as ending it (logged)."""
    authorize(actor, Action.ASSIGN, assignment.child, label=_("een toewijzing beëindigen"))


# --- A professional asks to join (issue 10 item 3) -------------------------------------------------------

JOIN_REQUEST_SENT = gettext_lazy("Uw verzoek is naar de school gestuurd. De school neemt contact op met de familie.")
JOIN_REQUEST_CATEGORIES = [Category.BASIC, Category.SUPPORT]


def submit_join_request(user, *, organisation, school, first_name, last_name, date_of_birth) -> JoinRequest:
    """Store the request and tell the school's IB'ers and directors. Nothing about the child is looked up
    here, so the answer to the worker cannot depend on whether the child exists."""
    permissions.check_may_ask(user)
    if organisation not in permissions.asking_organisations(user):
        raise ValidationError(_("U werkt niet bij deze organisatie."))
    with transaction.atomic():
        join_request = JoinRequest.objects.create(
            worker=user,
            organisation=organisation,
            school=school,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
        )
        handlers = (
            Membership.objects.effective()
            .filter(school=school, role__in=[r.value for r in permissions.HANDLING_ROLES])
            .select_related("user")
        )
        for m in handlers:
            notify(
                m.user,
                f"join_request:{join_request.pk}",
                Text(
                    gettext_noop("%(name)s van %(org)s vraagt om aan de kring van een leerling te worden toegevoegd."),
                    name=user,
                    org=organisation,
                ),
                url="/jeugdhulp/verzoeken/",
            )
    return join_request


def _same_name(a: str, b: str) -> bool:
    """Names typed in any case match, also beyond ASCII ("ÖZDEMIR" and "Özdemir"), which SQLite's iexact misses."""
    return unicodedata.normalize("NFC", a.strip()).casefold() == unicodedata.normalize("NFC", b.strip()).casefold()


def matching_pupils(join_request: JoinRequest):
    """Pupils of the request's school with the typed name and birth date (case-insensitive)."""
    same_day = Child.objects.filter(
        school_id=join_request.school_id, date_of_birth=join_request.date_of_birth, left_on__isnull=True
    ).only("pk", "first_name", "last_name")
    ids = [
        c.pk
        for c in same_day
        if _same_name(c.first_name, join_request.first_name) and _same_name(c.last_name, join_request.last_name)
    ]
    return Child.objects.filter(pk__in=ids).select_related("group", "school")


def _open_for_handling(actor: Actor, join_request: JoinRequest) -> JoinRequest:
    permissions.check_may_handle(actor.user, join_request)
    if join_request.status != JoinRequest.Status.OPEN:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    return join_request


def ask_family_consent(actor: Actor, join_request: JoinRequest, child: Child) -> Consent:
    """The IB'er asks the family, in the app, to consent to this worker by name (basic details and support).

    The consent is pending until the right people for the child's age sign it; then the worker is in the
    circle (a consent to a person, `consent.services.valid_consents_by_child`)."""
    _open_for_handling(actor, join_request)
    if child.school_id != join_request.school_id:
        raise ValidationError(_("Deze leerling zit niet op deze school."))
    authorize(actor, Action.MANAGE_CIRCLE, child, label=_("toestemming vragen voor een jeugdhulpverlener"))
    with transaction.atomic():
        updated = JoinRequest.objects.filter(pk=join_request.pk, status=JoinRequest.Status.OPEN).update(
            status=JoinRequest.Status.CONSENT_ASKED, handled_by=actor.user, handled_at=timezone.now(), child=child
        )
        if not updated:
            raise ValidationError(_("Dit verzoek is al afgehandeld."))
        consent = Consent.objects.create(
            child=child,
            organisation=join_request.organisation,
            grantee=join_request.worker,
            purpose=_("Verzoek van %(name)s om in de kring te komen") % {"name": join_request.worker},
            starts_on=timezone.localdate(),
            created_by=actor.user,
        )
        ConsentScope.objects.bulk_create([ConsentScope(consent=consent, category=c) for c in JOIN_REQUEST_CATEGORIES])
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.CREATED, actor=actor.user)
        JoinRequest.objects.filter(pk=join_request.pk).update(consent=consent)
        for g in child.guardianships.select_related("user"):
            notify(
                g.user,
                f"join_request_consent:{consent.pk}",
                Text(
                    gettext_noop(
                        "%(name)s van %(org)s wil met %(child)s werken. De school vraagt uw toestemming: "
                        "basisgegevens en ondersteuning."
                    ),
                    name=join_request.worker,
                    org=join_request.organisation,
                    child=child.first_name,
                ),
                url=f"/kinderen/{child.pk}/toestemming/",
            )
    join_request.refresh_from_db()
    return consent


def decline_join_request(actor: Actor, join_request: JoinRequest, reason: str) -> JoinRequest:
    _open_for_handling(actor, join_request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Geef een reden op."))
    updated = JoinRequest.objects.filter(pk=join_request.pk, status=JoinRequest.Status.OPEN).update(
        status=JoinRequest.Status.DECLINED,
        handled_by=actor.user,
        handled_at=timezone.now(),
        decline_reason=reason[:300],
    )
    if not updated:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    join_request.refresh_from_db()
    return join_request


# --- Referral with a warm handover (issue 10 item 2) -----------------------------------------------------

# The referral itself is about support, so its consent always names the basic details and support; the
# IB'er adds what else goes with it (docs/youth-care.md, "Referrals").
REFERRAL_ALWAYS = [Category.BASIC.value, Category.SUPPORT.value]
REFERRAL_ACTIONS_LABEL = gettext_lazy("een verwijzing naar jeugdhulp")
NO_STAFF = gettext_lazy(
    "%(org)s heeft nog geen medewerkers in Driehoek. U kunt nu niet naar deze organisatie verwijzen; "
    "neem contact op met de organisatie of kies een andere."
)
RECEIVING_ROLES = [Role.YOUTH_WORKER.value, Role.DOCTOR.value]


def receiving_staff(organisation):
    """The people of the organisation who may receive a referral and work with a child."""
    return (
        Membership.objects.effective()
        .filter(organisation=organisation, role__in=RECEIVING_ROLES, user__is_active=True)
        .select_related("user")
    )


def _notify_signers(child: Child, consent: Consent, referral: Referral) -> None:
    for signer in consent_rules.required_signers(child, timezone.localdate()):
        if signer.user_id is None:
            continue
        notify(
            User.objects.get(pk=signer.user_id),
            f"referral_consent:{consent.pk}",
            Text(
                gettext_noop(
                    "De school wil %(child)s verwijzen naar %(org)s en vraagt uw toestemming voor: %(what)s. "
                    "Zolang u niet tekent, gaat er niets naar %(org)s."
                ),
                child=child.first_name,
                org=referral.organisation,
                what=list(consent.category_labels),  # each label translated when read
            ),
            url=f"/kinderen/{child.pk}/toestemming/",
        )


def refer(
    actor: Actor,
    child: Child,
    *,
    organisation: CareOrganisation,
    reason: str,
    question: str,
    tried: str = "",
    urgency: str = Referral.Urgency.NORMAL,
    categories=(),
    request=None,
) -> Referral:
    """The IB'er or the coordinator refers the child. The family's consent to the organisation, for exactly
    the information that goes with it, is asked at the same time; the referral waits until it is valid."""
    authorize(actor, Action.MANAGE_CIRCLE, child, Category.SUPPORT, label=REFERRAL_ACTIONS_LABEL)
    errors = {}
    reason, question, tried = (reason or "").strip(), (question or "").strip(), (tried or "").strip()
    if not reason:
        errors["reason"] = _("Schrijf op waarom u verwijst.")
    if not question:
        errors["question"] = _("Schrijf de hulpvraag op: waar moet de organisatie mee helpen?")
    if urgency not in Referral.Urgency.values:
        errors["urgency"] = _("Kies de urgentie.")
    if not set(categories) <= set(Category.values):
        errors["categories"] = _("Kies alleen soorten informatie uit de lijst.")
    if not organisation.active:
        errors["organisation"] = _("Deze organisatie is niet actief.")
    elif not receiving_staff(organisation).exists():
        errors["organisation"] = NO_STAFF % {"org": organisation}
    if errors:
        log_event(
            "referral_refused",
            "referral refused",
            request=request,
            user_id=actor.user.pk,
            child_id=child.pk,
            fields=sorted(errors),
        )
        raise ValidationError(errors)
    chosen = sorted({*REFERRAL_ALWAYS, *categories})
    with transaction.atomic():
        consent = Consent.objects.create(
            child=child,
            organisation=organisation,
            purpose=_("Verwijzing naar %(org)s") % {"org": organisation},
            starts_on=timezone.localdate(),
            created_by=actor.user,
        )
        ConsentScope.objects.bulk_create([ConsentScope(consent=consent, category=c) for c in chosen])
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.CREATED, actor=actor.user)
        referral = Referral.objects.create(
            child=child,
            organisation=organisation,
            referred_by=actor.user,
            consent=consent,
            reason=reason[:1000],
            question=question[:1000],
            tried=tried[:1000],
            urgency=urgency,
        )
        ReferralStep.objects.create(referral=referral, status=Referral.Status.WAITING_CONSENT, actor=actor.user)
        _notify_signers(child, consent, referral)
    return referral


def refresh_status(referral: Referral) -> Referral:
    """A waiting referral is sent the moment the family's consent is valid (signed by the right people for
    the child's age); the organisation's staff are told. Idempotent: safe to call from any page."""
    if referral.status != Referral.Status.WAITING_CONSENT:
        return referral
    consent = Consent.objects.prefetch_related("signatures", "child__guardianships").get(pk=referral.consent_id)
    if not consent_rules.is_valid(consent):
        return referral
    try:
        with transaction.atomic():
            referral_flow.move(referral, Referral.Status.SENT, sent_at=consent.completed_at or timezone.now())
            for m in receiving_staff(referral.organisation):
                notify(
                    m.user,
                    f"referral:{referral.pk}",
                    Text(
                        gettext_noop("Nieuwe verwijzing voor %(org)s, met toestemming van de familie."),
                        org=referral.organisation,
                    ),
                    url=f"/jeugdhulp/verwijzingen/{referral.pk}/",
                )
    except referral_flow.StaleStep:  # another request sent it first
        referral.refresh_from_db()
    return referral


def consent_became_valid(consent: Consent) -> None:
    """Called by `consent.services.sign` when a consent becomes valid."""
    referral = Referral.objects.filter(consent=consent).first()
    if referral is not None:
        refresh_status(referral)


def _answer_check(actor: Actor, referral: Referral, label) -> None:
    """Only staff of the receiving organisation answer, while the family's consent is valid (logged)."""
    authorize(actor, Action.ANSWER_REFERRAL, referral.child, label=label, obj=referral)
    if not _works_at(actor.user, referral.organisation):
        raise ValidationError(_("U werkt niet bij deze organisatie."))


def _tell_family_and_school(referral: Referral, text: Text) -> None:
    people = [g.user for g in referral.child.guardianships.select_related("user")]
    if referral.child.user_id:
        people.append(referral.child.user)
    people.append(referral.referred_by)
    for person in {p.pk: p for p in people}.values():
        notify(person, f"referral:{referral.pk}:{referral.status}", text, url=f"/jeugdhulp/verwijzingen/{referral.pk}/")


def accept_referral(actor: Actor, referral: Referral) -> Referral:
    refresh_status(referral)
    _answer_check(actor, referral, _("een verwijzing accepteren"))
    referral = referral_flow.move(
        referral, Referral.Status.ACCEPTED, actor=actor.user, answered_at=timezone.now(), answered_by=actor.user
    )
    _tell_family_and_school(
        referral,
        Text(
            gettext_noop(
                "%(org)s heeft de verwijzing van %(child)s geaccepteerd en kiest nu wie met %(child)s gaat werken."
            ),
            org=referral.organisation,
            child=referral.child.first_name,
        ),
    )
    return referral


def decline_referral(actor: Actor, referral: Referral, reason: str) -> Referral:
    refresh_status(referral)
    _answer_check(actor, referral, _("een verwijzing afwijzen"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Geef een reden op. De familie en de school lezen die."))
    referral = referral_flow.move(
        referral,
        Referral.Status.DECLINED,
        actor=actor.user,
        note=reason,
        answered_at=timezone.now(),
        answered_by=actor.user,
        decline_reason=reason[:300],
    )
    _tell_family_and_school(
        referral,
        Text(
            gettext_noop("%(org)s heeft de verwijzing van %(child)s afgewezen: %(reason)s"),
            org=referral.organisation,
            child=referral.child.first_name,
            reason=reason[:300],
        ),
    )
    return referral


def assign_referral(actor: Actor, referral: Referral, worker) -> Assignment:
    """The receiving organisation names who works with the child; through the family's consent to the
    organisation that worker is in the circle from now on (`consent.services.valid_consents_by_child`)."""
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Wijs een medewerker toe nadat de verwijzing is geaccepteerd."))
    _answer_check(actor, referral, _("een medewerker toewijzen aan een verwijzing"))
    decision = authorize(actor, Action.ASSIGN, referral.child, label=_("een medewerker toewijzen"))
    if decision.consent is None or decision.consent.organisation_id != referral.organisation_id:
        raise ValidationError(_("Er is geen geldige toestemming van de familie aan deze organisatie."))
    if not _works_at(worker, referral.organisation):
        raise ValidationError(_("Deze persoon werkt niet bij %(org)s.") % {"org": referral.organisation})
    with transaction.atomic():
        assignment = _create_assignment(
            actor, child=referral.child, organisation=referral.organisation, worker=worker, consent=referral.consent
        )
        referral.refresh_from_db()
        if referral.status != Referral.Status.ASSIGNED:  # the referral's own consent was not the one used
            referral_flow.move(
                referral, Referral.Status.ASSIGNED, actor=actor.user, note=str(worker), assignment=assignment
            )
    return assignment


def withdraw_referral(actor: Actor, referral: Referral, reason: str = "") -> Referral:
    """The school takes a referral back before the organisation answered it."""
    authorize(actor, Action.MANAGE_CIRCLE, referral.child, Category.SUPPORT, label=_("een verwijzing intrekken"))
    return referral_flow.move(referral, Referral.Status.WITHDRAWN, actor=actor.user, note=(reason or "").strip())


THREE_WAY_MINUTES = 45


def propose_three_way(actor: Actor, referral: Referral, *, starts_at, place: str = "", video_url: str = ""):
    """One step: the first conversation of family, school and the assigned worker (a care conversation)."""
    from apps.conversations.models import Kind
    from apps.conversations.services import plan_conversation

    if referral.status != Referral.Status.ASSIGNED or referral.assignment is None:
        raise ValidationError(_("Een driegesprek kan zodra er een medewerker is toegewezen."))
    if referral.conversation_id:
        raise ValidationError(_("Het eerste driegesprek is al voorgesteld."))
    worker = referral.assignment.worker
    child = referral.child
    people = [g.user for g in child.guardianships.select_related("user")]
    people += [referral.referred_by, worker]
    people = [p for p in {p.pk: p for p in people}.values() if p.pk != actor.user.pk]
    with transaction.atomic():
        conversation = plan_conversation(
            actor,
            child,
            kind=Kind.CARE,
            purpose=_("Kennismaken: familie, school en %(name)s van %(org)s bespreken de hulpvraag samen.")
            % {"name": worker, "org": referral.organisation},
            starts_at=starts_at,
            minutes=THREE_WAY_MINUTES,
            place=place,
            video_url=video_url,
            participants=people,
        )
        updated = Referral.objects.filter(pk=referral.pk, conversation__isnull=True).update(conversation=conversation)
        if not updated:
            raise ValidationError(_("Het eerste driegesprek is al voorgesteld."))
        ReferralStep.objects.create(
            referral=referral,
            status=referral.status,
            actor=actor.user,
            note=_("Driegesprek voorgesteld op %(when)s")
            % {"when": timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M")},
        )
    referral.refresh_from_db()
    return conversation


def holder(referral: Referral) -> str:
    """Who holds the referral now, in the words the family reads."""
    S = Referral.Status
    if referral.status == S.WAITING_CONSENT:
        return _("De familie: de verwijzing wacht op uw toestemming.")
    if referral.status in (S.SENT, S.ACCEPTED):
        return str(referral.organisation)
    if referral.status == S.ASSIGNED and referral.assignment_id:
        return _("%(name)s, %(org)s") % {"name": referral.assignment.worker, "org": referral.organisation}
    return _("De school: %(name)s") % {"name": referral.referred_by}


# --- Response times per organisation ---------------------------------------------------------------------


def working_days_between(start, end) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_school_day(day):
            days += 1
    return days


@dataclass
class ResponseTimes:
    organisation: CareOrganisation
    answered: int
    open: int
    median_days: float | None
    within_share: float | None  # 0..1, answered within the agreed number of working days


def response_times(organisations, now=None) -> list[ResponseTimes]:
    """Per organisation: how many referrals it answered (accepted or declined) and how fast, in working
    days from the moment the family's consent was valid; the agreed time is a setting. Two queries."""
    now = now or timezone.now()
    agreed = settings.REFERRAL_RESPONSE_WORKING_DAYS
    organisations = list(organisations)
    by_org: dict[int, list] = {o.pk: [] for o in organisations}
    open_by_org: dict[int, int] = dict.fromkeys(by_org, 0)
    rows = Referral.objects.filter(organisation_id__in=by_org, sent_at__isnull=False).values_list(
        "organisation_id", "sent_at", "answered_at"
    )
    for org_id, sent_at, answered_at in rows:
        if answered_at is None:
            open_by_org[org_id] += 1
            continue
        by_org[org_id].append(working_days_between(timezone.localdate(sent_at), timezone.localdate(answered_at)))
    result = []
    for org in organisations:
        days = by_org[org.pk]
        result.append(
            ResponseTimes(
                organisation=org,
                answered=len(days),
                open=open_by_org[org.pk],
                median_days=statistics.median(days) if days else None,
                within_share=(sum(1 for d in days if d <= agreed) / len(days)) if days else None,
            )
        )
    return result
