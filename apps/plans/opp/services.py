"""The OPP's services: every read and write goes through the access policy and is logged (docs/opp.md).

The school drafts; the parents write their own view and answer each version of the handelingsdeel; the
pupil writes their own view and, from 12, signs that they were heard. The rules are in `rules.py`, who
may do what in `apps/plans/permissions.py`.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.policy import Action, authorize, decide, refuse
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.core.versioning import StaleEdit

from .. import permissions
from ..models import Agreement, AgreementStatus, Goal, PlanChange
from ..opp_models import DisputeText, HandelingsdeelAnswer, HandelingsdeelVersion, Opp, SupportLine
from ..services import PLAN_CATEGORY, _clean_date, _clean_text, _display, _record, stored_language
from . import rules

MAX_LONG = 5000
PERSPECTIVE_FIELDS = (
    "outflow_destination",
    "outflow_reasons",
    "hindering_child",
    "hindering_school",
    "hindering_home",
    "supporting_child",
    "supporting_school",
    "supporting_home",
    "deviations",
)


def _label(child: Child) -> str:
    return _("het OPP van %(name)s") % {"name": child.first_name}


def _refuse(actor: Actor, child: Child, reason: str, action=Action.CHANGE):
    """A refusal of apps/plans/permissions.py on top of the policy (e.g. the school writing the parents'
    view): logged like any refusal."""
    refuse(actor, action, child, PLAN_CATEGORY, reason, label=_label(child))


def _long(value, field: str, errors: dict) -> str:
    value = (value or "").strip()
    if len(value) > MAX_LONG:
        errors[field] = _("Houd het kort: hoogstens %(n)d tekens.") % {"n": MAX_LONG}
    return value


def _bump(opp: Opp, **values) -> Opp:
    Opp.objects.filter(pk=opp.pk).update(**values, version=F("version") + 1, updated_at=timezone.now())
    opp.refresh_from_db()
    return opp


# --- starting and drafting ----------------------------------------------------------------------


def start_opp(actor: Actor, child: Child, *, needed_since) -> Opp:
    """Start the child's OPP from the date of the decision that the pupil needs extra support (or of
    enrolment); it is due 6 weeks later."""
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, label=_label(child))
    errors: dict = {}
    needed_since = _clean_date(needed_since, "needed_since", errors, _("Vul de datum van het besluit in."))
    if needed_since and needed_since > timezone.localdate():
        errors["needed_since"] = _("Deze datum ligt in de toekomst.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        opp, created = Opp.objects.get_or_create(
            child=child, defaults={"needed_since": needed_since, "created_by": actor.user}
        )
        if created:
            _record(
                child,
                PlanChange.Kind.OPP_CHANGED,
                _("OPP gestart (klaar uiterlijk %(due)s)")
                % {"due": rules.opp_due_on(needed_since).strftime("%d-%m-%Y")},
                actor.user,
            )
    return opp


def save_perspective(actor: Actor, opp: Opp, *, expected_version, oogo_held_on=None, oogo_record="", **values) -> Opp:
    """The school's part of the perspective and the record of the OOGO meeting. Never the parents' view."""
    child = opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    errors: dict = {}
    clean = {
        "outflow_destination": _clean_text(
            values.get("outflow_destination"), "outflow_destination", errors, required=False
        )
    }
    for name in PERSPECTIVE_FIELDS[1:]:
        clean[name] = _long(values.get(name), name, errors)
    clean["oogo_record"] = _long(oogo_record, "oogo_record", errors)
    if oogo_held_on and oogo_held_on > timezone.localdate():
        errors["oogo_held_on"] = _("Het overleg kan niet in de toekomst gehouden zijn.")
    clean["oogo_held_on"] = oogo_held_on or None
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        current = Opp.objects.select_for_update().get(pk=opp.pk)
        if current.version != int(expected_version):
            raise StaleEdit(current)
        _bump(opp, **clean)
        _record(child, PlanChange.Kind.OPP_CHANGED, _("Het perspectief in het OPP is bijgewerkt."), actor.user)
    return opp


def save_parents_view(actor: Actor, opp: Opp, text: str) -> Opp:
    """The parents' own view (OOGO). Only a guardian writes it; the school cannot overwrite it."""
    child = opp.child
    if not permissions.may_write_parents_view(actor.user, child):
        if decide(actor.user, Action.VIEW, child, PLAN_CATEGORY).allowed:
            _refuse(
                actor, child, _("Alleen de ouders schrijven hun eigen zienswijze. De school kan die niet wijzigen.")
            )
        authorize(actor, Action.CHANGE, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    authorize(actor, Action.CHANGE, child, PLAN_CATEGORY, obj=opp, label=_("de zienswijze van de ouders"))
    errors: dict = {}
    text = _long(text, "parents_view", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _bump(opp, parents_view=text, parents_view_by=actor.user, parents_view_at=timezone.now())
        _record(child, PlanChange.Kind.OPP_CHANGED, _("De ouders schreven hun zienswijze op het OPP."), actor.user)
    return opp


def save_pupil_view(actor: Actor, opp: Opp, text: str) -> Opp:
    """The pupil's own words: written by the pupil, or written down by the school as the pupil said it."""
    child = opp.child
    if not permissions.may_write_pupil_view(actor.user, child):
        action = Action.CHANGE if permissions.is_pupil(actor.user, child) else Action.DRAFT_OPP
        authorize(actor, action, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    action = Action.CHANGE if permissions.is_pupil(actor.user, child) else Action.DRAFT_OPP
    authorize(actor, action, child, PLAN_CATEGORY, obj=opp, label=_("wat de leerling zelf vindt van het OPP"))
    errors: dict = {}
    text = _long(text, "pupil_view", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _bump(opp, pupil_view=text, pupil_view_by=actor.user, pupil_view_at=timezone.now())
        _record(child, PlanChange.Kind.OPP_CHANGED, _("De mening van de leerling staat in het OPP."), actor.user)
    return opp


def sign_heard(actor: Actor, opp: Opp) -> Opp:
    """From 12 the pupil signs that they were heard about the OPP (hoorrecht)."""
    child = opp.child
    if not permissions.may_sign_heard(actor.user, child, timezone.localdate()):
        _refuse(actor, child, _("Alleen de leerling zelf (vanaf 12 jaar) tekent dat hij of zij gehoord is."))
    authorize(actor, Action.CHANGE, child, PLAN_CATEGORY, obj=opp, label=_("gehoord over het OPP"))
    with transaction.atomic(), stored_language():
        _bump(opp, pupil_heard_at=timezone.now())
        _record(
            child,
            PlanChange.Kind.OPP_CHANGED,
            _("%(name)s tekende: ik ben gehoord.") % {"name": child.first_name},
            actor.user,
        )
    return opp


def set_bron_dates(actor: Actor, opp: Opp, *, started_on, ended_on=None) -> Opp:
    child = opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    errors: dict = {}
    started_on = _clean_date(started_on, "started_on", errors, _("Vul de startdatum in."))
    if started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = _("De einddatum ligt voor de startdatum.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _bump(opp, started_on=started_on, ended_on=ended_on or None)
        _record(child, PlanChange.Kind.OPP_CHANGED, _("De BRON-datums van het OPP zijn bijgewerkt."), actor.user)
    return opp


# --- the handelingsdeel ---------------------------------------------------------------------------


def add_support_line(actor: Actor, opp: Opp, *, what, who, how_often, starts_on) -> SupportLine:
    child = opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    errors: dict = {}
    what = _clean_text(what, "what", errors, empty_message=_("Schrijf op welke ondersteuning de school geeft."))
    who = _clean_text(who, "who", errors, empty_message=_("Schrijf op wie de ondersteuning geeft."))
    how_often = _clean_text(how_often, "how_often", errors, empty_message=_("Schrijf op hoe vaak."))
    starts_on = _clean_date(starts_on, "starts_on", errors, _("Vul in vanaf wanneer."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        line = SupportLine.objects.create(opp=opp, what=what, who=who, how_often=how_often, starts_on=starts_on)
        _record(
            child, PlanChange.Kind.OPP_CHANGED, _("Ondersteuning toegevoegd: %(what)s") % {"what": what}, actor.user
        )
    return line


def remove_support_line(actor: Actor, line: SupportLine) -> None:
    """The line leaves the draft; every version laid before the parents keeps it as it was."""
    child = line.opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=line.opp, label=_label(child))
    with transaction.atomic(), stored_language():
        line.delete()
        _record(
            child, PlanChange.Kind.OPP_CHANGED, _("Ondersteuning geschrapt: %(what)s") % {"what": line.what}, actor.user
        )


def handelingsdeel_content(opp: Opp, lines=None, goals=None, agreements=None) -> dict:
    """What a version covers: the support lines and the plan's goals and agreements (not their status or
    evaluation: marking an agreement done is not a change the parents must consent to again)."""
    lines = lines if lines is not None else list(opp.support_lines.all())
    goals = goals if goals is not None else list(Goal.objects.filter(child_id=opp.child_id))
    if agreements is None:
        agreements = list(Agreement.objects.filter(child_id=opp.child_id).select_related("owner"))
    return {
        "support_lines": [
            {"what": s.what, "who": s.who, "how_often": s.how_often, "starts_on": s.starts_on.isoformat()}
            for s in sorted(lines, key=lambda s: (s.starts_on, s.pk))
        ],
        "goals": [
            {"text": g.text, "child_words": g.child_words, "evaluate_on": g.evaluate_on.isoformat()}
            for g in sorted(goals, key=lambda g: (g.evaluate_on, g.pk))
        ],
        "agreements": [
            {"what": a.what, "who": _display(a.owner), "due": a.due.isoformat()}
            for a in sorted(agreements, key=lambda a: (a.due, a.pk))
            if a.status != AgreementStatus.DROPPED
        ],
    }


def _required(child: Child) -> list[int]:
    return rules.required_parent_ids(child.guardianships.select_related("user"))


def _names(user_ids) -> str:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=user_ids).order_by("full_name", "email")
    return ", ".join(_display(u) for u in users)


def propose_version(actor: Actor, opp: Opp, *, note: str = "") -> HandelingsdeelVersion:
    """Lay the current handelingsdeel before the parents as a new, immutable version; every parent with
    confirmed gezag is asked (again), whatever they answered to an earlier version."""
    child = opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    errors: dict = {}
    note = _clean_text(note, "note", errors, required=False)
    content = handelingsdeel_content(opp)
    if not content["support_lines"]:
        errors["note"] = _("Het handelingsdeel is nog leeg: voeg eerst de ondersteuning toe.")
    latest = opp.versions.order_by("-number").first()
    digest = rules.content_hash(content)
    if latest is not None and latest.content_hash == digest:
        errors["note"] = _("Er is niets veranderd sinds versie %(n)d. Die ligt al bij de ouders.") % {
            "n": latest.number
        }
    elif latest is not None and not note:
        errors["note"] = _("Schrijf op wat er verandert, zodat de ouders weten waarmee ze opnieuw instemmen.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        version = HandelingsdeelVersion.objects.create(
            opp=opp,
            number=(latest.number + 1) if latest else 1,
            content=content,
            content_hash=digest,
            note=note,
            proposed_by=actor.user,
        )
        _record(
            child,
            PlanChange.Kind.OPP_PROPOSED,
            _("Handelingsdeel versie %(n)d ligt bij de ouders ter instemming.") % {"n": version.number},
            actor.user,
        )
        _tell_parents(child, version)
    return version


def _tell_parents(child: Child, version: HandelingsdeelVersion) -> None:
    from django.contrib.auth import get_user_model

    from ..services import _tell

    for user in get_user_model().objects.filter(pk__in=_required(child)):
        _tell(
            user,
            f"opp-version:{version.pk}",
            _("Het handelingsdeel van het OPP van %(name)s wacht op uw instemming (versie %(n)d).")
            % {"name": child.first_name, "n": version.number},
            child,
            "#opp",
        )


def answer_version(
    actor: Actor, version: HandelingsdeelVersion, *, answer: str, reason: str = ""
) -> HandelingsdeelAnswer:
    """A parent with confirmed gezag consents to, or declines (with a reason), the latest version. When the
    last required parent consents, the version is vastgesteld."""
    opp = version.opp
    child = opp.child
    authorize(actor, Action.CONSENT_OPP, child, PLAN_CATEGORY, obj=version, label=_("het handelingsdeel van het OPP"))
    errors: dict = {}
    reason = _long(reason, "reason", errors)
    if answer not in (rules.CONSENT, rules.DECLINE):
        errors["answer"] = _("Kies of u instemt of niet.")
    elif answer == rules.DECLINE and not reason:
        errors["reason"] = _("Schrijf op waarom u niet instemt. De IB'er leest dat en stelt een wijziging voor.")
    latest = opp.versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        errors["answer"] = _("Er is een nieuwere versie van het handelingsdeel. Bekijk die en geef daarop uw antwoord.")
    if version.established_at is not None:
        errors["answer"] = _("Deze versie is al vastgesteld.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        try:
            with transaction.atomic():
                row = HandelingsdeelAnswer.objects.create(
                    version=version, user=actor.user, answer=answer, reason=reason
                )
        except IntegrityError:
            raise ValidationError({"answer": _("U heeft al geantwoord op deze versie.")}) from None
        if answer == rules.CONSENT:
            summary = _("%(who)s stemt in met versie %(n)d van het handelingsdeel.")
        else:
            summary = _("%(who)s stemt niet in met versie %(n)d van het handelingsdeel: %(reason)s")
        summary = summary % {"who": _display(actor.user), "n": version.number, "reason": reason}
        _record(child, PlanChange.Kind.OPP_ANSWERED, summary, actor.user)
        if answer == rules.DECLINE:
            from ..services import _tell

            _tell(version.proposed_by, f"opp-declined:{row.pk}", summary, child, "#opp")
        _establish_if_complete(version, actor.user)
    return row


def version_state(version: HandelingsdeelVersion, required_ids=None) -> rules.ConsentState:
    required_ids = _required(version.opp.child) if required_ids is None else required_ids
    answers = [rules.Answer(a.user_id, a.answer, a.reason) for a in version.answers.all()]
    return rules.consent_state(required_ids, answers)


def _establish_if_complete(version, by) -> bool:
    if not version_state(version).complete:
        return False
    version.established_at = timezone.now()
    version.save(update_fields=["established_at"])
    opp = version.opp
    if opp.started_on is None:
        _bump(opp, started_on=timezone.localdate())
    _record(
        opp.child,
        PlanChange.Kind.OPP_ESTABLISHED,
        _("Handelingsdeel versie %(n)d is vastgesteld: alle ouders met gezag stemden in.") % {"n": version.number},
        by,
    )
    return True


def establish(actor: Actor, opp: Opp) -> HandelingsdeelVersion:
    """Set the latest version (vaststellen). Refused, naming who is missing, until every parent who has
    confirmed gezag now consented to exactly this version."""
    child = opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    version = opp.versions.order_by("-number").first()
    if version is None:
        raise ValidationError(_("Leg het handelingsdeel eerst voor aan de ouders."))
    if version.established_at is not None:
        return version
    state = version_state(version)
    if not state.required:
        raise ValidationError(
            _("Er is geen ouder met bevestigd gezag. Bevestig eerst het gezag; zonder instemming geen vaststelling.")
        )
    if state.declined:
        raise ValidationError(
            _("Niet vastgesteld: %(names)s stemt niet in. Stel een wijziging voor.")
            % {"names": _names([u for u, _r in state.declined])}
        )
    if state.missing:
        raise ValidationError(
            _("Niet vastgesteld: de instemming van %(names)s ontbreekt nog.") % {"names": _names(state.missing)}
        )
    with transaction.atomic(), stored_language():
        _establish_if_complete(version, actor.user)
    return version


# --- the yearly evaluation -------------------------------------------------------------------------


def plan_evaluation(actor: Actor, opp: Opp, *, starts_at: datetime, place: str, minutes: int = 45):
    """Plan the yearly evaluation with the parents as a conversation (care/MDO kind), with the parents
    with gezag invited."""
    from apps.conversations import services as conversations
    from apps.conversations.models import Kind

    child = opp.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=opp, label=_label(child))
    if starts_at is None or not rules.evaluation_date_is_valid(
        timezone.localtime(starts_at).date(), timezone.localdate()
    ):
        raise ValidationError({"starts_at": _("De evaluatiedatum ligt in het verleden. Kies vandaag of later.")})
    from django.contrib.auth import get_user_model

    with_gezag = [g.user_id for g in child.guardianships.all() if g.has_authority]  # 1:377c: not the others
    parents = list(get_user_model().objects.filter(pk__in=with_gezag))
    with stored_language():
        conversation = conversations.plan_conversation(
            actor,
            child,
            kind=Kind.CARE,
            purpose=_("Jaarlijkse evaluatie van het OPP met de ouders"),
            starts_at=starts_at,
            minutes=minutes,
            place=place,
            participants=parents,
        )
    _bump(opp, evaluation=conversation)
    return conversation


# --- reading --------------------------------------------------------------------------------------

DEFAULT_DISPUTE_TEXT = gettext_lazy(
    "Bent u het niet eens met het OPP? Praat er eerst over met de IB'er of de directeur. Komt u er samen niet "
    "uit, dan kunt u een klacht indienen volgens de klachtenregeling van de school (zie de schoolgids). U kunt "
    "ook naar de Geschillencommissie passend onderwijs (onderwijsgeschillen.nl) over het vaststellen of "
    "wijzigen van het OPP. Een onderwijsconsulent kan u gratis helpen."
)


def dispute_text(child: Child) -> str:
    custom = DisputeText.objects.filter(school_id=child.school_id).values_list("text", flat=True).first()
    return custom or str(DEFAULT_DISPUTE_TEXT)


@dataclass
class OppView:
    opp: Opp | None
    lines: list
    versions: list
    latest: HandelingsdeelVersion | None
    established: HandelingsdeelVersion | None
    state: rules.ConsentState | None
    draft_changed: bool
    due_on: date | None
    late: bool
    dispute_text: str
    names: dict


def read_opp(actor: Actor, child: Child, *, goals=None, agreements=None, log: bool = True) -> OppView:
    """The OPP as the circle sees it (logged), in a fixed number of queries however many support lines
    and versions it has. `goals`/`agreements` are the plan's, when the caller already read them."""
    if log:
        authorize(actor, Action.VIEW, child, PLAN_CATEGORY, label=_label(child))
    opp = Opp.objects.filter(child=child).select_related("evaluation", "parents_view_by", "pupil_view_by").first()
    if opp is None:
        return OppView(None, [], [], None, None, None, False, None, False, dispute_text(child), {})
    opp.child = child
    lines = list(opp.support_lines.all())
    versions = list(
        opp.versions.order_by("-number").prefetch_related(
            Prefetch("answers", queryset=HandelingsdeelAnswer.objects.select_related("user").order_by("at", "pk"))
        )
    )
    latest = versions[0] if versions else None
    established = next((v for v in versions if v.established_at is not None), None)
    required = rules.required_parent_ids(child.guardianships.all())
    state = None
    if latest is not None:
        answers = [rules.Answer(a.user_id, a.answer, a.reason) for a in latest.answers.all()]
        state = rules.consent_state(required, answers)
    from django.contrib.auth import get_user_model

    names = {u.pk: _display(u) for u in get_user_model().objects.filter(pk__in=required)}
    draft_changed = False
    if latest is not None:
        draft_changed = rules.content_hash(handelingsdeel_content(opp, lines, goals, agreements)) != latest.content_hash
    today = timezone.localdate()
    return OppView(
        opp,
        lines,
        versions,
        latest,
        established,
        state,
        draft_changed,
        rules.opp_due_on(opp.needed_since),
        rules.is_late(opp.needed_since, established is not None, today),
        dispute_text(child),
        names,
    )


def late_opps(user, today: date | None = None):
    """OPPs at this user's drafting schools that are past their 6 weeks without a vastgesteld version."""
    today = today or timezone.localdate()
    return (
        Opp.objects.filter(permissions.drafting_schools_q(user), needed_since__lt=today - rules.OPP_WITHIN)
        .exclude(versions__established_at__isnull=False)
        .filter(child__left_on__isnull=True)
    )


def opp_url(child: Child) -> str:
    return reverse("plans:opp", args=[child.pk])


def waiting_for_my_consent(user):
    """Latest versions, not yet vastgesteld, that this parent with confirmed gezag has not answered, of
    children whose support data they may see (one query)."""
    from django.db.models import OuterRef, Subquery

    from apps.core.extensions import visible_child_ids

    latest = HandelingsdeelVersion.objects.filter(opp=OuterRef("opp")).order_by("-number").values("pk")[:1]
    return (
        HandelingsdeelVersion.objects.filter(
            pk=Subquery(latest),
            established_at__isnull=True,
            opp__child__guardianships__user=user,
            opp__child__guardianships__has_authority=True,
            opp__child__guardianships__authority_status="confirmed",
            opp__child__in=visible_child_ids(user, PLAN_CATEGORY),
        )
        .exclude(answers__user=user)
        .select_related("opp__child")
    )


def save_dispute_text(school, text: str, by) -> None:
    """The school's own words on where parents go when they disagree; empty: the default text again."""
    text = (text or "").strip()
    if len(text) > MAX_LONG:
        raise ValidationError({"text": _("Houd het kort: hoogstens %(n)d tekens.") % {"n": MAX_LONG}})
    if text:
        DisputeText.objects.update_or_create(school=school, defaults={"text": text})
    else:
        DisputeText.objects.filter(school=school).delete()
