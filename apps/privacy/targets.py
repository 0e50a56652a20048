"""The records a family may ask to correct or add its own statement to, each through its own app's service."""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.access.shortcuts import load_child


@dataclass
class Target:
    kind: str
    obj: object
    child: object
    category: str
    owner_id: int
    text: str
    label: str


def _timeline(pk):
    from apps.timeline.models import TimelineEntry

    e = TimelineEntry.objects.filter(pk=pk).first()
    if e is None:
        return None
    return e, e.child_id, e.category, e.author_id, e.text, _("een regel op de tijdlijn")


def _agreement(pk):
    from apps.plans.models import Agreement
    from apps.plans.services import PLAN_CATEGORY

    a = Agreement.objects.filter(pk=pk).first()
    if a is None:
        return None
    return a, a.child_id, PLAN_CATEGORY, a.created_by_id, a.what, _("een afspraak in het plan")


def _conversation(pk):
    from apps.conversations.models import KIND_CATEGORY, Conversation

    c = Conversation.objects.filter(pk=pk).first()
    if c is None:
        return None
    text = c.feedback if c.feedback_sent_at else c.purpose
    return c, c.child_id, KIND_CATEGORY[c.kind], c.organiser_id, text, _("de terugkoppeling van een gesprek")


LOADERS = {"timeline_entry": _timeline, "agreement": _agreement, "conversation": _conversation}
# Factual errors can be corrected in these; a conversation's feedback gets an own statement only.
CORRECTABLE = ("timeline_entry", "agreement")


def load(kind: str, pk) -> Target:
    loader = LOADERS.get(kind)
    found = loader(pk) if loader else None
    if found is None:
        raise Http404
    obj, child_id, category, owner_id, text, label = found
    return Target(kind, obj, load_child(child_id), str(category), owner_id, text, str(label))


def apply_correction(actor, target: Target, new_text: str):
    """Correct through the record's own service: its history keeps the old text (a revision / the plan's
    history), and its own rules and the policy apply."""
    if target.kind == "timeline_entry":
        from apps.timeline.services import TEXT_FIELDS, correct_entry

        entry = target.obj
        entry.child = target.child
        fields = {f: getattr(entry, f) for f in TEXT_FIELDS} | {"text": new_text}
        return correct_entry(actor, entry, expected_version=entry.version, **fields)
    if target.kind == "agreement":
        from apps.plans.services import change_agreement

        a = target.obj
        a.child = target.child
        return change_agreement(actor, a, what=new_text, owner=a.owner, due=a.due, expected_version=a.version)
    raise Http404
