"""The groeidocument and the family's own plan: every read and write goes through the access policy and
is logged (docs/opp.md). The rules are in `rules.py`, who may do what in `apps/plans/permissions.py`."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.owner import owner_of
from apps.access.policy import Action, authorize, decide, refuse, visible_q
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.core.versioning import StaleEdit

from .. import permissions
from .. import services as plan_services
from ..groei_models import ExportConsent, FamilyGoal, Groeidocument, LifeDomain
from ..models import Agreement, AgreementStatus, Goal, PlanChange
from ..opp import rules as opp_rules
from ..opp_models import Opp
from ..services import PLAN_CATEGORY, _clean_text, _display, _record, stored_language
from . import rules

MAX_LONG = 5000
SCHOOL_FIELDS = ("school_question", "school_view", "needs")
PARENT_FIELDS = ("parents_view", "parents_question")


def _label(child: Child) -> str:
    return _("het groeidocument van %(name)s") % {"name": child.first_name}


def _long(value, field: str, errors: dict) -> str:
    value = (value or "").strip()
    if len(value) > MAX_LONG:
        errors[field] = _("Houd het kort: hoogstens %(n)d tekens.") % {"n": MAX_LONG}
    return value


def _open(doc: Groeidocument) -> None:
    """A closed groeidocument is read-only."""
    if doc.closed_at is not None:
        raise ValidationError(
            _("Dit groeidocument is gesloten en blijft zoals het is. Begin zo nodig een nieuw groeidocument.")
        )


def _bump(doc: Groeidocument, **values) -> Groeidocument:
    Groeidocument.objects.filter(pk=doc.pk).update(**values, version=F("version") + 1, updated_at=timezone.now())
    child = doc.child
    doc.refresh_from_db()
    doc.child = child
    return doc


def _check_version(doc, expected_version) -> None:
    if expected_version is None:
        return
    current = Groeidocument.objects.select_for_update().get(pk=doc.pk)
    if current.version != int(expected_version):
        raise StaleEdit(current)


# --- the document ---------------------------------------------------------------------------------


def start(actor: Actor, child: Child, *, request_kind: str = "") -> Groeidocument:
    """Start a groeidocument before a support-team meeting. At most one is open per child."""
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, label=_label(child))
    if request_kind not in Groeidocument.Request.values:
        raise ValidationError({"request_kind": _("Kies een arrangement of een TLV, of laat het nog open.")})
    if Groeidocument.objects.filter(child=child, closed_at__isnull=True).exists():
        raise ValidationError(_("Er is al een open groeidocument. Sluit dat eerst of werk daarin verder."))
    try:
        with transaction.atomic(), stored_language():
            doc = Groeidocument.objects.create(child=child, request_kind=request_kind, created_by=actor.user)
            _record(child, PlanChange.Kind.GROEIDOCUMENT, _("Groeidocument gestart."), actor.user)
    except IntegrityError as e:  # two starts at once
        raise ValidationError(_("Er is al een open groeidocument. Sluit dat eerst of werk daarin verder.")) from e
    doc.child = child
    return doc


def save_school_part(actor: Actor, doc: Groeidocument, *, expected_version=None, request_kind=None, **values):
    """The school's part. Never the parents' part."""
    child = doc.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    _open(doc)
    errors: dict = {}
    clean = {name: _long(values.get(name), name, errors) for name in SCHOOL_FIELDS}
    if request_kind is not None:
        if request_kind not in Groeidocument.Request.values:
            errors["request_kind"] = _("Kies een arrangement of een TLV, of laat het nog open.")
        clean["request_kind"] = request_kind
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _check_version(doc, expected_version)
        _bump(doc, **clean, school_by=actor.user, school_at=timezone.now())
        _record(
            child, PlanChange.Kind.GROEIDOCUMENT, _("De school vulde haar deel van het groeidocument in."), actor.user
        )
    return doc


def save_parents_part(actor: Actor, doc: Groeidocument, *, parents_view="", parents_question=""):
    """The parents' part: their view and their question, in their words. The school cannot write it."""
    child = doc.child
    if (
        not permissions.may_write_parents_view(actor.user, child)
        and decide(actor.user, Action.VIEW, child, PLAN_CATEGORY).allowed
    ):
        refuse(
            actor,
            Action.CHANGE,
            child,
            PLAN_CATEGORY,
            _("Alleen de ouders schrijven hun eigen deel van het groeidocument. De school kan dat niet wijzigen."),
            obj=doc,
            label=_label(child),
        )
    authorize(
        actor, Action.CHANGE, child, PLAN_CATEGORY, obj=doc, label=_("het deel van de ouders in het groeidocument")
    )
    _open(doc)
    errors: dict = {}
    clean = {
        "parents_view": _long(parents_view, "parents_view", errors),
        "parents_question": _long(parents_question, "parents_question", errors),
    }
    if not clean["parents_view"] and not clean["parents_question"]:
        errors["parents_view"] = _("Schrijf op hoe u het ziet, of wat uw vraag is.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _bump(doc, **clean, parents_by=actor.user, parents_at=timezone.now())
        _record(
            child, PlanChange.Kind.GROEIDOCUMENT, _("De ouders vulden hun deel van het groeidocument in."), actor.user
        )
    return doc


def plan_mdo(actor: Actor, doc: Groeidocument, *, conversation=None, mdo_on=None, participants=""):
    """The support-team meeting: a conversation of this child in the app, or a date and who take part."""
    child = doc.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    _open(doc)
    errors: dict = {}
    participants = _clean_text(participants, "participants", errors, required=False)
    if conversation is not None and conversation.child_id != child.pk:
        errors["conversation"] = _("Dit gesprek hoort niet bij %(name)s.") % {"name": child.first_name}
    if conversation is None and mdo_on is None:
        errors["mdo_on"] = _("Kies een gesprek of vul de datum van het MDO in.")
    if conversation is None and mdo_on is not None and not participants:
        errors["participants"] = _("Schrijf op wie er bij het MDO zijn.")
    if errors:
        raise ValidationError(errors)
    if conversation is not None:
        mdo_on = timezone.localtime(conversation.starts_at).date()
    with transaction.atomic(), stored_language():
        _bump(doc, mdo_conversation=conversation, mdo_on=mdo_on, mdo_participants=participants)
        _record(
            child,
            PlanChange.Kind.GROEIDOCUMENT,
            _("Het MDO is gepland op %(on)s.") % {"on": mdo_on.strftime("%d-%m-%Y")},
            actor.user,
        )
    return doc


def save_report(actor: Actor, doc: Groeidocument, *, report: str):
    """The report of the MDO, after the meeting."""
    child = doc.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    _open(doc)
    errors: dict = {}
    report = _long(report, "report", errors)
    if not report:
        errors["report"] = _("Schrijf op wat er in het MDO is besproken.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _bump(doc, mdo_report=report, mdo_reported_at=timezone.now())
        _record(
            child, PlanChange.Kind.GROEIDOCUMENT, _("Het verslag van het MDO staat in het groeidocument."), actor.user
        )
    return doc


def add_mdo_agreement(actor: Actor, doc: Groeidocument, *, what, owner, due, goal=None) -> Agreement:
    """An agreement of the MDO becomes an agreement in the child's one plan, marked as from this meeting."""
    child = doc.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    _open(doc)
    with transaction.atomic():
        agreement = plan_services.add_agreement(actor, child, what=what, owner=owner, due=due, goal=goal)
        Agreement.objects.filter(pk=agreement.pk).update(groeidocument=doc)
        agreement.groeidocument = doc
    return agreement


def close(actor: Actor, doc: Groeidocument, *, reason: str):
    """Close the groeidocument when the goals are met: it becomes read-only and is never exported again,
    so old data does not follow the child."""
    child = doc.child
    authorize(actor, Action.DRAFT_OPP, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    _open(doc)
    errors: dict = {}
    reason = _clean_text(reason, "reason", errors, empty_message=_("Schrijf op waarom het groeidocument klaar is."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        _bump(doc, closed_at=timezone.now(), closed_by=actor.user, close_reason=reason)
        _record(
            child,
            PlanChange.Kind.GROEIDOCUMENT,
            _("Groeidocument gesloten: %(reason)s") % {"reason": reason},
            actor.user,
        )
    return doc


# --- what goes with the request -------------------------------------------------------------------


def _required(child: Child) -> list[int]:
    return opp_rules.required_parent_ids(child.guardianships.select_related("user"))


def give_export_consent(actor: Actor, doc: Groeidocument, *, categories) -> ExportConsent:
    """A parent with confirmed gezag chooses what goes with the request (consent categories). A new
    answer replaces the old one; every answer is kept."""
    child = doc.child
    authorize(actor, Action.CONSENT_OPP, child, PLAN_CATEGORY, obj=doc, label=_("wat meegaat met de aanvraag"))
    _open(doc)
    categories = list(categories or [])
    unknown = [c for c in categories if c not in rules.EXPORTABLE]
    if unknown:
        raise ValidationError({"categories": _("Kies alleen uit de soorten informatie in de lijst.")})
    with transaction.atomic(), stored_language():
        row = ExportConsent.objects.create(document=doc, user=actor.user, categories=categories)
        _record(
            child,
            PlanChange.Kind.GROEIDOCUMENT,
            _("%(name)s gaf aan wat meegaat met de aanvraag.") % {"name": _display(actor.user)},
            actor.user,
        )
    return row


def export_state(doc: Groeidocument, consents=None) -> rules.ExportState:
    consents = consents if consents is not None else list(doc.export_consents.order_by("at", "pk"))
    return rules.export_state(_required(doc.child), [(c.user_id, c.categories) for c in consents])


# --- reading --------------------------------------------------------------------------------------


@dataclass
class GroeiView:
    doc: Groeidocument
    agreements: list
    consents: list
    state: rules.ExportState
    names: dict


def documents_of(actor: Actor, child: Child) -> list[Groeidocument]:
    """The child's groeidocumenten, newest first (logged as one read)."""
    authorize(
        actor,
        Action.VIEW,
        child,
        PLAN_CATEGORY,
        label=_("de groeidocumenten van %(name)s") % {"name": child.first_name},
    )
    docs = list(Groeidocument.objects.filter(child=child).order_by("-created_at", "-pk"))
    for d in docs:
        d.child = child
    return docs


def read(actor: Actor, doc: Groeidocument) -> GroeiView:
    child = doc.child
    authorize(actor, Action.VIEW, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    agreements = list(
        Agreement.objects.filter(visible_q(actor.user, PLAN_CATEGORY, owner=""), groeidocument=doc)
        .select_related("owner")
        .order_by("due", "pk")
    )
    consents = list(doc.export_consents.select_related("user").order_by("at", "pk"))
    state = export_state(doc, consents)
    names = {u.pk: _display(u) for u in get_user_model().objects.filter(pk__in=state.required)}
    return GroeiView(doc, agreements, consents, state, names)


def doc_url(doc: Groeidocument) -> str:
    return reverse("plans:groeidocument", args=[doc.pk])


# --- the export: the request to the samenwerkingsverband --------------------------------------------


def _may_see(user, child, category, record) -> bool:
    return decide(user, Action.VIEW, child, category, owner=owner_of(record)).allowed


def export(actor: Actor, doc: Groeidocument) -> dict:
    """The request to the samenwerkingsverband (arrangement or TLV) as data, for the JSON and the PDF.

    Refused for whoever does not draft the OPP; a closed groeidocument is never exported; without every
    gezag parent's answer nothing goes. Then only the categories every parent allowed, and of what youth
    care (or another school) recorded only what the school may see through a consent to the school."""
    child = doc.child
    user = actor.user
    if not permissions.may_export_request(user, child):
        if decide(user, Action.VIEW, child, PLAN_CATEGORY).allowed:
            refuse(
                actor,
                Action.EXPORT,
                child,
                PLAN_CATEGORY,
                _("Alleen de IB'er of de directeur stuurt het groeidocument naar het samenwerkingsverband."),
                obj=doc,
                label=_label(child),
            )
        authorize(actor, Action.EXPORT, child, PLAN_CATEGORY, obj=doc, label=_label(child))
    if doc.closed_at is not None:
        raise ValidationError(_("Een gesloten groeidocument gaat niet meer mee. Begin een nieuw groeidocument."))
    state = export_state(doc)
    if not state.complete:
        if not state.required:
            raise ValidationError(_("Er is geen ouder met bevestigd gezag die kan aangeven wat meegaat."))
        names = get_user_model().objects.filter(pk__in=state.missing).order_by("full_name", "email")
        raise ValidationError(
            _("Nog niet alle ouders met gezag hebben aangegeven wat meegaat met de aanvraag. Nog niet: %(names)s.")
            % {"names": ", ".join(_display(u) for u in names)}
        )
    authorize(actor, Action.EXPORT, child, PLAN_CATEGORY, obj=doc, label=_("het groeidocument (aanvraag)"))
    left_out = 0
    data = {
        "kind": "groeidocument",
        "request": doc.request_kind,
        "exported_at": timezone.now().isoformat(),
        "child": {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
            "school": child.school.name if child.school_id else "",
            "group": child.group.name if child.group_id else "",
        },
        "school_part": {f: getattr(doc, f) for f in SCHOOL_FIELDS},
        "parents_part": {f: getattr(doc, f) for f in PARENT_FIELDS},
        "mdo": {
            "on": doc.mdo_on.isoformat() if doc.mdo_on else None,
            "participants": doc.mdo_participants,
            "report": doc.mdo_report,
        },
        "consent": {
            "categories": state.categories,
            "given_by": sorted(_display(u) for u in get_user_model().objects.filter(pk__in=state.required)),
        },
    }
    if "support" in state.categories:
        # Old data does not follow the child: agreements of a closed groeidocument stay behind.
        goals = [
            g
            for g in Goal.objects.filter(child=child).select_related("family_goal")
            if _may_see(user, child, "support", g)
        ]
        agreements = Agreement.objects.filter(child=child).exclude(groeidocument__closed_at__isnull=False)
        agreements = agreements.exclude(status=AgreementStatus.DROPPED).select_related("owner")
        kept = [a for a in agreements if _may_see(user, child, "support", a)]
        left_out += Goal.objects.filter(child=child).count() - len(goals)
        left_out += agreements.count() - len(kept)
        opp = Opp.objects.filter(child=child).first()
        data["support"] = {
            "family_goals": [
                {"life_domain": f.life_domain, "text": f.text} for f in FamilyGoal.objects.filter(child=child)
            ],
            "goals": [
                {
                    "text": g.text,
                    "child_words": g.child_words,
                    "life_domain": g.life_domain,
                    "evaluate_on": g.evaluate_on.isoformat(),
                }
                for g in goals
            ],
            "agreements": [{"what": a.what, "who": _display(a.owner), "due": a.due.isoformat()} for a in kept],
            "opp": _opp_part(opp),
        }
    for category in ("development", "health"):
        if category not in state.categories:
            continue
        from apps.timeline.models import TimelineEntry

        entries = list(
            TimelineEntry.objects.filter(child=child, category=category).order_by("-happened_on", "-pk")[:200]
        )
        kept = [e for e in entries if _may_see(user, child, category, e)]
        left_out += len(entries) - len(kept)
        data[category] = [{"on": e.happened_on.isoformat(), "text": e.text} for e in kept]
    data["left_out_without_consent"] = left_out
    return data


def _opp_part(opp) -> dict | None:
    if opp is None:
        return None
    from ..opp.services import PERSPECTIVE_FIELDS

    return {
        **{f: getattr(opp, f) for f in PERSPECTIVE_FIELDS},
        "parents_view": opp.parents_view,
        "pupil_view": opp.pupil_view,
        "support_lines": [
            {"what": s.what, "who": s.who, "how_often": s.how_often, "starts_on": s.starts_on.isoformat()}
            for s in opp.support_lines.all()
        ],
    }


# --- the family's own plan --------------------------------------------------------------------------


def _family_label(child: Child) -> str:
    return _("het plan van het gezin van %(name)s") % {"name": child.first_name}


def _family_only(actor: Actor, child: Child, obj=None) -> None:
    """Only the family writes its own plan; a professional is refused and the refusal logged."""
    if (
        not permissions.may_write_family_plan(actor.user, child)
        and decide(actor.user, Action.VIEW, child, PLAN_CATEGORY).allowed
    ):
        refuse(
            actor,
            Action.CHANGE,
            child,
            PLAN_CATEGORY,
            _("Dit is het plan van het gezin, in hun eigen woorden. Alleen het gezin kan het wijzigen."),
            obj=obj,
            label=_family_label(child),
        )
    authorize(actor, Action.CHANGE, child, PLAN_CATEGORY, obj=obj, label=_family_label(child))


def _clean_family(life_domain, text) -> dict:
    errors: dict = {}
    if life_domain not in LifeDomain.values:
        errors["life_domain"] = _("Kies een levensgebied.")
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Schrijf uw doel op, in uw eigen woorden.")
    elif len(text) > 1000:
        errors["text"] = _("Houd het kort: hoogstens %(n)d tekens.") % {"n": 1000}
    if errors:
        raise ValidationError(errors)
    return {"life_domain": life_domain, "text": text}


def add_family_goal(actor: Actor, child: Child, *, life_domain, text) -> FamilyGoal:
    _family_only(actor, child)
    values = _clean_family(life_domain, text)
    with transaction.atomic(), stored_language():
        goal = FamilyGoal.objects.create(child=child, written_by=actor.user, **values)
        _record(
            child,
            PlanChange.Kind.FAMILY_PLAN,
            _("Het gezin schreef een doel: %(text)s") % {"text": values["text"][:400]},
            actor.user,
        )
    return goal


def change_family_goal(actor: Actor, goal: FamilyGoal, *, life_domain, text, expected_version) -> FamilyGoal:
    """The family changes its own words; a stale form never overwrites another family member's change."""
    child = goal.child
    _family_only(actor, child, obj=goal)
    values = _clean_family(life_domain, text)
    with transaction.atomic(), stored_language():
        current = FamilyGoal.objects.select_for_update().get(pk=goal.pk)
        if current.version != int(expected_version):
            raise StaleEdit(current)
        FamilyGoal.objects.filter(pk=goal.pk).update(
            **values, written_by=actor.user, updated_at=timezone.now(), version=F("version") + 1
        )
        _record(
            child,
            PlanChange.Kind.FAMILY_PLAN,
            _("Het gezin paste een doel aan: %(text)s") % {"text": values["text"][:400]},
            actor.user,
        )
    goal.refresh_from_db()
    goal.child = child
    return goal


def family_goals(child: Child) -> list[FamilyGoal]:
    """Read beside the plan (the plan's own read is logged)."""
    return list(FamilyGoal.objects.filter(child=child).select_related("written_by"))


def link_goal(actor: Actor, goal: Goal, *, life_domain: str = "", family_goal: FamilyGoal | None = None) -> Goal:
    """A professional's goal gets a life domain and may build on a family goal (it never replaces it)."""
    child = goal.child
    authorize(actor, Action.CHANGE, child, PLAN_CATEGORY, obj=goal, label=_("een doel in het plan"))
    errors: dict = {}
    if life_domain and life_domain not in LifeDomain.values:
        errors["life_domain"] = _("Kies een levensgebied.")
    if family_goal is not None and family_goal.child_id != child.pk:
        errors["family_goal"] = _("Dit doel van het gezin hoort bij een ander kind.")
    if family_goal is not None and not life_domain:
        life_domain = family_goal.life_domain
    if errors:
        raise ValidationError(errors)
    Goal.objects.filter(pk=goal.pk).update(life_domain=life_domain, family_goal=family_goal, version=F("version") + 1)
    goal.refresh_from_db()
    goal.child = child
    return goal


def plan_by_domain(child: Child, goals, family=None) -> dict:
    """The plan page's "one family, one plan" part: whether to show it, the coordinator, and the goals per
    life domain (the family's goals first)."""
    from apps.circles.services import coordinator_of
    from apps.referrals.selectors import consent_members

    family = family if family is not None else family_goals(child)
    outside = [m for m in consent_members(child) if PLAN_CATEGORY in m.categories]
    return {
        "show": rules.youth_care_involved(len(outside), len(family)),
        "coordinator": coordinator_of(child),
        "rows": rules.by_life_domain(LifeDomain.choices, family, goals),
        "family_goals": family,
    }
