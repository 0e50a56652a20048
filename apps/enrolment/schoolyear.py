"""Start a new school year without an export: every pupil moves up one group (groep 8 leaves).

The better way is an EDEXML export of the new year (its `schooljaar` makes the new groups, see sync.py);
this step is for schools that start before their administration is ready. Last year's groups stay as
history. A group's name moves up with it ("Groep 4" becomes "Groep 5", "Groep 1/2" becomes "Groep 2/3");
a combination group with groep 8 in it ("Groep 7/8") becomes "Groep 8" and the preview asks the school to
mark its leavers through the next import, because only the administration knows each pupil's year. Teachers
stay with their year level: whoever taught "Groep 5" teaches the new "Groep 5". Composite groups
(samengestelde groepen) are not carried over: they come with the next import. Batched: a fixed number of
queries whatever the size of the school.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.circles.models import Child
from apps.consent.models import Category
from apps.organisations.models import Group, Membership
from apps.timeline.models import Kind as TimelineKind
from apps.timeline.models import TimelineEntry

from . import permissions
from .parsers.records import UnreadableFile
from .sync import school_year_on

LAST_YEAR_LEVEL = 8
_LEVELS = re.compile(r"\d+(?:\s*/\s*\d+)*")


def next_year(year: str) -> str:
    start = int(year.split("-")[0]) + 1
    return f"{start}-{start + 1}"


def promoted_name(name: str) -> tuple[str, int] | None:
    """The group's name one year on and its year level; None when everyone in it leaves (groep 8)."""
    match = _LEVELS.search(name)
    if match is None:
        return None
    levels = [int(n) + 1 for n in re.findall(r"\d+", match.group()) if int(n) + 1 <= LAST_YEAR_LEVEL]
    if not levels:
        return None
    return name[: match.start()] + "/".join(str(n) for n in levels) + name[match.end() :], levels[0]


@dataclass
class Move:
    old: Group
    new_name: str
    year_level: int
    pupils: int
    mixed_with_leavers: bool = False


@dataclass
class Promotion:
    from_year: str
    to_year: str
    moves: list[Move] = field(default_factory=list)
    leaving: list[tuple[Group, int]] = field(default_factory=list)
    existing_next_year: bool = False

    @property
    def leavers(self) -> int:
        return sum(n for _g, n in self.leaving)


def plan_promotion(school) -> Promotion:
    groups = list(
        Group.objects.filter(school=school, kind=Group.Kind.BASE).order_by("-school_year", "year_level", "name")
    )
    from_year = groups[0].school_year if groups else school_year_on(timezone.localdate())
    promotion = Promotion(from_year=from_year, to_year=next_year(from_year))
    counts = dict(
        Child.objects.filter(school=school, left_on__isnull=True, group__school_year=from_year)
        .values_list("group_id")
        .annotate(n=Count("pk"))
    )
    for group in (g for g in groups if g.school_year == from_year):
        target = promoted_name(group.name)
        if target is None:
            promotion.leaving.append((group, counts.get(group.pk, 0)))
            continue
        levels = re.findall(r"\d+", _LEVELS.search(group.name).group())
        mixed = len(levels) > 1 and str(LAST_YEAR_LEVEL) in levels
        promotion.moves.append(Move(group, target[0], target[1], counts.get(group.pk, 0), mixed))
    promotion.existing_next_year = Group.objects.filter(school=school, school_year=promotion.to_year).exists()
    return promotion


def start_new_school_year(*, user, school, request=None) -> Promotion:
    permissions.check_may_import(user, school, request)
    p = plan_promotion(school)
    if p.existing_next_year:
        raise UnreadableFile(
            _("Schooljaar %(year)s bestaat al (uit een import); u hoeft niemand meer over te zetten.")
            % {"year": p.to_year}
        )
    today = timezone.localdate()
    with transaction.atomic():
        names = {m.new_name: m.year_level for m in p.moves}
        old_by_name = {m.old.name: m.old for m in p.moves} | {g.name: g for g, _n in p.leaving}
        Group.objects.bulk_create(
            [Group(school=school, school_year=p.to_year, name=n, year_level=lvl) for n, lvl in names.items()]
        )
        new_by_name = {g.name: g for g in Group.objects.filter(school=school, school_year=p.to_year)}
        _move_pupils(p, new_by_name, by=user, today=today)
        _link_teachers(old_by_name, new_by_name)
    return p


def _move_pupils(p: Promotion, new_by_name: dict, *, by, today) -> None:
    target = {m.old.pk: new_by_name[m.new_name] for m in p.moves}
    pupils = list(Child.objects.filter(group_id__in=list(target), left_on__isnull=True))
    for child in pupils:
        child.group = target[child.group_id]
    Child.objects.bulk_update(pupils, ["group"])
    Child.objects.filter(group_id__in=[g.pk for g, _n in p.leaving], left_on__isnull=True).update(left_on=today)
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                child=child,
                kind=TimelineKind.SCHOOL,
                happened_on=today,
                category=Category.BASIC,
                author=by,
                text=_("Nieuwe groep: %(group)s (%(year)s)") % {"group": child.group.name, "year": p.to_year},
            )
            for child in pupils
        ]
    )


def _link_teachers(old_by_name: dict, new_by_name: dict) -> None:
    through = Membership.groups.through
    pairs = {old.pk: new_by_name[name].pk for name, old in old_by_name.items() if name in new_by_name}
    links = through.objects.filter(group_id__in=list(pairs)).values_list("membership_id", "group_id")
    through.objects.bulk_create([through(membership_id=m, group_id=pairs[g]) for m, g in links], ignore_conflicts=True)
