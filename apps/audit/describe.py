"""The access log in plain language for families ("Jeroen Smit, gezinscoach bij Wijkteam Oost, bekeek het plan").

Every sentence comes from one full-sentence pattern per (action, object kind), with named placeholders, so each
language puts the object where it belongs ("probeerde het plan te bekijken", not "probeerde te bekijken het
plan"). Entries are stored in Dutch; the labels here are lazy and rendered at read time in the reader's language.
Repeats (same person, action and object within `AUDIT_LOG_FOLD_MINUTES`) are folded into one line. See
docs/audit-log.md, "How the family reads the log".
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import AccessLogEntry

RECORD, CONSENT, LIST = "record", "consent", "list"
KINDS = (RECORD, CONSENT, LIST)
ACTIONS = tuple(AccessLogEntry.Action.values)


def kind_of(action: str, object_type: str) -> str:
    """The object kind a sentence is built for: a list the child appeared in, a consent, or a part of the record."""
    if action == AccessLogEntry.Action.LIST:
        return LIST
    if object_type == "consent":
        return CONSENT
    return RECORD


# action -> (done, tried) for an object named by a noun phrase (a part of the record, or a consent).
_NOUN_PHRASE = {
    "view": (gettext_lazy("%(actor)s bekeek %(object)s"), gettext_lazy("%(actor)s probeerde %(object)s te bekijken")),
    "create": (
        gettext_lazy("%(actor)s vulde %(object)s aan"),
        gettext_lazy("%(actor)s probeerde %(object)s aan te vullen"),
    ),
    "change": (
        gettext_lazy("%(actor)s wijzigde %(object)s"),
        gettext_lazy("%(actor)s probeerde %(object)s te wijzigen"),
    ),
    "export": (
        gettext_lazy("%(actor)s exporteerde %(object)s"),
        gettext_lazy("%(actor)s probeerde %(object)s te exporteren"),
    ),
    "sign": (
        gettext_lazy("%(actor)s ondertekende %(object)s"),
        gettext_lazy("%(actor)s probeerde %(object)s te ondertekenen"),
    ),
    "revoke": (
        gettext_lazy("%(actor)s trok %(object)s in"),
        gettext_lazy("%(actor)s probeerde %(object)s in te trekken"),
    ),
}
# (action, kind) -> (done, tried): the one table every sentence of the log comes from.
PATTERNS = {(action, kind): pair for action, pair in _NOUN_PHRASE.items() for kind in (RECORD, CONSENT)}
PATTERNS[("list", LIST)] = (
    gettext_lazy("%(actor)s zag %(child)s in %(object)s"),
    gettext_lazy("%(actor)s probeerde %(child)s in %(object)s te zien"),
)
# An action this module does not know yet (never expected): still a whole sentence.
FALLBACK = (gettext_lazy("%(actor)s gebruikte %(object)s"), gettext_lazy("%(actor)s probeerde %(object)s te gebruiken"))

# What a refusal prevented, said calmly to the family (the reason stored is addressed to the person refused).
PREVENTED = {
    "view": gettext_lazy("Dat mocht niet en is tegengehouden: er is niets getoond."),
    "list": gettext_lazy("Dat mocht niet en is tegengehouden: er is niets getoond."),
    "create": gettext_lazy("Dat mocht niet en is tegengehouden: er is niets toegevoegd."),
    "change": gettext_lazy("Dat mocht niet en is tegengehouden: er is niets gewijzigd."),
    "export": gettext_lazy("Dat mocht niet en is tegengehouden: er is niets geëxporteerd."),
    "sign": gettext_lazy("Dat mocht niet en is tegengehouden: de toestemming is niet ondertekend."),
    "revoke": gettext_lazy("Dat mocht niet en is tegengehouden: de toestemming is niet ingetrokken."),
}
PREVENTED_OTHER = gettext_lazy("Dat mocht niet en is tegengehouden: er is niets gebeurd.")

ACTOR_WITH_ROLE_AND_ORGANISATION = gettext_lazy("%(name)s, %(role)s bij %(organisation)s,")
ACTOR_WITH_ROLE = gettext_lazy("%(name)s, %(role)s,")
CONSENT_NAME = gettext_lazy("de toestemming aan %(organisation)s voor %(categories)s van %(date)s")
WITH_CONSENT = gettext_lazy("met de toestemming aan %(organisation)s voor %(categories)s van %(date)s")
ON_BEHALF_OF = gettext_lazy("namens %(name)s")
VIA = gettext_lazy("via %(access_point)s")


def pattern(action: str, kind: str, allowed: bool):
    done, tried = PATTERNS.get((action, kind), FALLBACK)
    return done if allowed else tried


def sentence(action: str, kind: str, allowed: bool, *, actor: str, obj: str, child: str = "") -> str:
    """One sentence of the log in the active language (the placeholders not in a pattern are ignored)."""
    return str(pattern(action, kind, allowed)) % {"actor": actor, "object": obj, "child": child}


def actor_phrase(name: str, role: str = "", organisation: str = "") -> str:
    if role and organisation:
        return str(ACTOR_WITH_ROLE_AND_ORGANISATION) % {"name": name, "role": role, "organisation": organisation}
    if role:
        return str(ACTOR_WITH_ROLE) % {"name": name, "role": role}
    return name


def consent_values(consent) -> dict:
    categories = ", ".join(str(scope.get_category_display()) for scope in consent.scopes.all())
    date = formats.date_format(timezone.localtime(consent.created_at), "j F Y")
    return {"organisation": str(consent.organisation), "categories": categories, "date": date}


@dataclass
class LogLine:
    """One line of the family's log: one entry, or several folded repeats (`entries`, newest first)."""

    entries: list
    text: str = ""
    consent_url: str = ""
    refused: bool = False

    @property
    def entry(self) -> AccessLogEntry:
        return self.entries[0]

    @property
    def count(self) -> int:
        return len(self.entries)


def _fold_key(e: AccessLogEntry) -> tuple:
    return (e.actor_id, e.actor_name, e.action, e.object_type, e.object_id, e.object_label, e.allowed, e.category)


def fold(entries, minutes: int | None = None) -> list[list[AccessLogEntry]]:
    """Group repeats: consecutive entries (newest first) by the same person with the same action on the same object
    and outcome, each within `minutes` of the newest of its group (setting AUDIT_LOG_FOLD_MINUTES, default 10)."""
    window = timedelta(minutes=settings.AUDIT_LOG_FOLD_MINUTES if minutes is None else minutes)
    groups: list[list[AccessLogEntry]] = []
    for e in entries:
        if groups and _fold_key(groups[-1][0]) == _fold_key(e) and groups[-1][0].at - e.at <= window:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


def _titles(entries) -> dict:
    """What each professional is called in practice ("gezinscoach", apps/referrals StaffTitle), per (person,
    organisation name): one query for a whole page."""
    from apps.organisations.models import Membership

    ids = {e.actor_id for e in entries if e.actor_id and e.actor_organisation}
    if not ids:
        return {}
    rows = Membership.objects.filter(user_id__in=ids, title__isnull=False).values_list(
        "user_id", "school__name", "organisation__name", "board__name", "title__title"
    )
    return {(user_id, school or org or board): title for user_id, school, org, board, title in rows}


def _consents(entries) -> dict:
    """The consents the lines name (the one a professional used, and the one signed or revoked), in two queries."""
    from apps.consent.models import Consent

    ids = {e.consent_id for e in entries if e.consent_id}
    ids |= {int(e.object_id) for e in entries if e.object_type == "consent" and e.object_id.isdigit()}
    if not ids:
        return {}
    return {
        c.pk: c for c in Consent.objects.filter(pk__in=ids).select_related("organisation").prefetch_related("scopes")
    }


def _when(first, last) -> str:
    start = timezone.localtime(first)
    text = formats.date_format(start, "j F H:i")
    end = timezone.localtime(last)
    if end.strftime("%H:%M") != start.strftime("%H:%M"):
        text += "–" + formats.time_format(end, "H:i")
    return text


def _line(group: list, child_name: str, titles: dict, consents: dict) -> LogLine:
    e = group[0]
    role = titles.get((e.actor_id, e.actor_organisation)) or (
        _(e.actor_role) if e.actor_role and e.actor_role != "-" else ""
    )
    actor = actor_phrase(e.actor_name, role, e.actor_organisation)
    kind = kind_of(e.action, e.object_type)
    named = consents.get(int(e.object_id)) if kind == CONSENT and e.object_id.isdigit() else None
    obj = str(CONSENT_NAME) % consent_values(named) if named else _(e.object_label)
    text = sentence(e.action, kind, e.allowed, actor=actor, obj=obj, child=child_name)
    if len(group) > 1:
        text += " " + ngettext("(%(count)d keer)", "(%(count)d keer)", len(group)) % {"count": len(group)}
    parts = [text, _when(group[-1].at, e.at)]
    line = LogLine(entries=group, refused=not e.allowed)
    used = consents.get(e.consent_id) if e.consent_id else None
    if e.allowed:
        parts.append(str(WITH_CONSENT) % consent_values(used) if used else _(e.basis))
    if e.responsible_id and e.responsible_id != e.actor_id and e.responsible_name:
        parts.append(str(ON_BEHALF_OF) % {"name": e.responsible_name})
    if e.access_point and e.access_point != AccessLogEntry.AccessPoint.PAGE:
        parts.append(str(VIA) % {"access_point": AccessLogEntry.AccessPoint(e.access_point).label})
    line.text = ", ".join(p for p in parts if p)
    if not e.allowed:
        line.text += ". " + str(PREVENTED.get(e.action, PREVENTED_OTHER))
    link_to = used or named
    if link_to is not None:
        line.consent_url = reverse("consent:page", args=[link_to.child_id]) + f"#consent-{link_to.pk}"
    return line


def describe_lines(entries, *, child=None, folded: bool = True, minutes: int | None = None) -> list[LogLine]:
    """The lines for a page of entries (newest first), in a fixed number of queries whatever their number.
    `child`: the one child all entries are about (the family's log), so its name needs no query."""
    entries = list(entries)
    groups = fold(entries, minutes) if folded else [[e] for e in entries]
    titles, consents = _titles(entries), _consents(entries)
    names = {child.pk: child.first_name} if child is not None else _child_names(entries)
    return [_line(g, names.get(g[0].child_id, ""), titles, consents) for g in groups]


def _child_names(entries) -> dict:
    from apps.circles.models import Child

    ids = {e.child_id for e in entries if e.action == AccessLogEntry.Action.LIST}
    if not ids:
        return {}
    return dict(Child.objects.filter(pk__in=ids).values_list("pk", "first_name"))


def describe(entry: AccessLogEntry) -> str:
    """One entry as a sentence in the active language."""
    return describe_lines([entry], folded=False)[0].text
