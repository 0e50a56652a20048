"""The access log in plain Dutch, for families ("Maria de Vries (CJG) bekeek het plan, …")."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AccessLogEntry

# Lazy: these dicts are built at import time, before any request has chosen a language.
VERBS = {
    "view": gettext_lazy("bekeek"),
    "list": gettext_lazy("zag in een lijst"),
    "create": gettext_lazy("voegde iets toe aan"),
    "change": gettext_lazy("wijzigde"),
    "export": gettext_lazy("exporteerde"),
    "sign": gettext_lazy("tekende"),
}
TRIED = {
    "view": gettext_lazy("probeerde te bekijken"),
    "list": gettext_lazy("probeerde in een lijst te zien"),
    "create": gettext_lazy("probeerde iets toe te voegen aan"),
    "change": gettext_lazy("probeerde te wijzigen"),
    "export": gettext_lazy("probeerde te exporteren"),
    "sign": gettext_lazy("probeerde te tekenen"),
}


def _when(dt) -> str:
    local = timezone.localtime(dt)
    return formats.date_format(local, "j F H:i")


def describe(entry: AccessLogEntry) -> str:
    who = entry.actor_name
    if entry.actor_organisation:
        who = f"{who} ({entry.actor_organisation})"
    elif entry.actor_role:
        who = f"{who} ({_(entry.actor_role)})"
    if entry.allowed:
        sentence = f"{who} {VERBS.get(entry.action, entry.action)} {_(entry.object_label)}, {_when(entry.at)}"
        if entry.consent_id and entry.consent is not None:
            sentence += ", " + _("met jullie toestemming van %(date)s") % {
                "date": formats.date_format(timezone.localtime(entry.consent.created_at), "j F")
            }
        else:
            sentence += f", {_(entry.basis)}"
        return sentence
    return _("%(who)s %(verb)s %(what)s, %(when)s. Dit werd geweigerd.") % {
        "who": who,
        "verb": TRIED.get(entry.action, entry.action),
        "what": _(entry.object_label),
        "when": _when(entry.at),
    }
