"""What a signal says: to the family in plain Dutch without blame, and to the school with its next step."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from apps.notifications.texts import Day, Text

from .models import AttendanceSettings, Rule, Step


def family_text(signal) -> str:
    """The sentence the parents (and a pupil of 12+) read on the timeline and in their messages."""
    return family_message(signal).render()


def family_message(signal) -> Text:
    """That sentence as a message key with parameters, for a notification rendered in the reader's language
    (docs/languages.md)."""
    name = signal.child.first_name
    rule = signal.rule
    if rule == Rule.MAZL_FREQUENT:
        return Text(
            gettext_noop(
                "%(name)s is dit schooljaar %(n)d keer ziek gemeld in %(weeks)d weken. Dan nodigt school u uit voor "
                "een gesprek, om samen te kijken hoe het gaat. Dat doen we bij alle kinderen."
            ),
            **{
                "name": name,
                "n": _threshold(signal, "mazl_reports", 4),
                "weeks": _threshold(signal, "mazl_school_weeks", 12),
            },
        )
    if rule == Rule.MAZL_LONG:
        return Text(
            gettext_noop(
                "%(name)s is nu %(n)d schooldagen achter elkaar ziek. Dan neemt school contact met u op, om samen te "
                "kijken hoe het gaat en wat %(name)s nodig heeft. Dat doen we bij alle kinderen."
            ),
            **{"name": name, "n": _threshold(signal, "mazl_consecutive_days", 7)},
        )
    if rule == Rule.MAZL_WORRY:
        return Text(
            gettext_noop(
                "School wil graag met u praten over hoe het gaat met %(name)s en over de dagen dat %(name)s er niet "
                "was. School nodigt u uit voor een gesprek."
            ),
            **{"name": name},
        )
    if rule == Rule.DUO:
        return Text(
            gettext_noop(
                "%(name)s was in 4 schoolweken %(hours)s uur afwezig zonder toestemming. Dit moet school melden bij "
                "de leerplichtambtenaar; dat geldt voor alle kinderen. School neemt contact met u op."
            ),
            **{"name": name, "hours": _hours(signal.hours)},
        )
    if rule == Rule.LRV:
        return Text(
            gettext_noop(
                "%(name)s is al meer dan 4 weken niet op school, zonder toestemming. School meldt dit bij de "
                "leerplichtambtenaar en zoekt samen met u naar een oplossing."
            ),
            **{"name": name},
        )
    if rule == Rule.LUXE:
        return Text(
            gettext_noop(
                "%(name)s was op %(day)s niet op school, zonder verlof. Dit moet school melden bij de "
                "leerplichtambtenaar; dat geldt voor alle kinderen. School neemt contact met u op."
            ),
            **{"name": name, "day": Day(signal.first_day, "l j F")},
        )
    if signal.on_test_days:
        return Text(
            gettext_noop(
                "%(name)s was de laatste weken een paar keer afwezig op een toetsdag. School neemt contact met u op, "
                "om samen te kijken of er iets speelt."
            ),
            **{"name": name},
        )
    return Text(
        gettext_noop(
            "%(name)s was de laatste weken een paar keer afwezig op een %(weekday)s. School neemt contact met u op, "
            "om samen te kijken of er iets speelt."
        ),
        **{"name": name, "weekday": Day(signal.day, "l")},
    )


def _threshold(signal, field: str, default: int) -> int:
    """The school's own number, read once per school object (a batch shares one)."""
    school = signal.school
    if "_attendance_row" not in school.__dict__:
        school._attendance_row = AttendanceSettings.objects.filter(school_id=school.pk).first()
    return getattr(school._attendance_row, field, default) if school._attendance_row else default


def _hours(hours):
    """A whole number as it is, else a float shown with the reader's decimal mark."""
    if hours is None:
        return 0
    return int(hours) if hours == int(hours) else float(hours)


def proposed_step(signal) -> str:
    """What the school does next, in one line."""
    if signal.closed_at:
        return _("Afgerond.")
    return _("Volgende stap: %(step)s.") % {"step": Step(signal.step).label}


def count_text(n: int) -> str:
    return ngettext("%(n)d signaal", "%(n)d signalen", n) % {"n": n}
