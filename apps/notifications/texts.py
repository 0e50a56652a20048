"""Sentences sent to a person, kept as a Dutch message key plus parameters and rendered when read.

A notification used to be stored as a finished Dutch sentence, so an English or Arabic reader saw Dutch. Now a
caller passes `Text(gettext_noop("Nieuw bericht van %(author)s over %(child)s."), author=..., child=...)`; the
notification keeps the msgid and the parameters, and `render()` translates them in the language active when it
is read (the reader's, apps/accounts/languages.py). E-mails are rendered once, in the recipient's language,
when they are queued. Dates and times in the parameters are kept as dates and formatted for the reader's locale
(Django's formats). See docs/languages.md.

The msgid must be marked with `gettext_noop` (or another gettext call) so `makemessages` puts it in every
catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class Text:
    """A Dutch msgid and its parameters; a parameter may itself be a Text (a translated label)."""

    msgid: str
    params: dict = field(default_factory=dict)

    def __init__(self, msgid, /, **params):
        object.__setattr__(self, "msgid", _msgid_of(msgid) if isinstance(msgid, Promise) else str(msgid))
        object.__setattr__(self, "params", params)

    def render(self) -> str:
        """In the active language."""
        return render(self.msgid, stored_params(self.params))

    def in_dutch(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def __str__(self):
        return self.render()

    def stored(self) -> tuple[str, dict]:
        return self.msgid, stored_params(self.params)


def _msgid_of(lazy) -> str:
    """The Dutch source of a gettext_lazy proxy (its first argument)."""
    args = getattr(lazy, "_args", ())
    return str(args[0]) if args else str(lazy)


@dataclass(frozen=True)
class Day:
    """A date shown in the reader's locale with a Django date format of its own, e.g. "l" (the weekday)."""

    value: dt.date
    format: str = "DATE_FORMAT"


def _stored(value):
    if isinstance(value, Day):
        return {"$d": value.value.isoformat(), "f": value.format}
    if isinstance(value, Text):
        return {"$t": value.msgid, "p": stored_params(value.params)}
    if isinstance(value, Promise):  # a gettext_lazy label: keep its msgid, translate when read
        return {"$t": _msgid_of(value), "p": {}}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):  # e.g. consent categories: each kept, shown joined by commas
        return {"$l": [_stored(item) for item in value]}
    return str(value)


def stored_params(params: dict) -> dict:
    """Parameters as JSON: strings and numbers as they are, dates and labels tagged."""
    return {key: _stored(value) for key, value in (params or {}).items()}


def _shown(value):
    if isinstance(value, dict):
        if "$t" in value:
            return render(value["$t"], value.get("p") or {})
        if "$dt" in value:
            moment = dt.datetime.fromisoformat(value["$dt"])
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "DATETIME_FORMAT")
        if "$d" in value:
            return formats.date_format(dt.date.fromisoformat(value["$d"]), value.get("f") or "DATE_FORMAT")
        if "$l" in value:
            return ", ".join(str(_shown(item)) for item in value["$l"])
    if isinstance(value, float):  # an int stays an int, so "%(n)d" works in every language
        return formats.localize(value)
    return value


def render(msgid: str, params: dict) -> str:
    """Translate `msgid` in the active language and fill in its parameters; a broken translation (a placeholder
    it lacks) falls back to the Dutch sentence rather than failing the page."""
    values = {key: _shown(value) for key, value in (params or {}).items()}
    text = gettext(msgid)
    try:
        return text % values if values else text
    except (KeyError, ValueError, TypeError):
        return msgid % values if values else msgid


class Lines:
    """Several Texts (or plain strings, such as a link) as the lines of one e-mail body, rendered when sent."""

    def __init__(self, *lines):
        self.lines = lines

    def __str__(self):
        return "\n".join(str(line) for line in self.lines)
