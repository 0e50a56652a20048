"""Rules of the timeline: who sees which entries, adding and correcting with history and stale-edit detection."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.owner import owner_for_author
from apps.access.policy import Action, authorize, decide, visible_q_by_category
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.core.versioning import StaleEdit
from apps.notifications import menu_counts

from .models import Kind, TimelineEntry, TimelineRevision

TEXT_FIELDS = ("kind", "happened_on", "ends_on", "text", "category")


# The information category an entry of each kind gets unless the author picks another one.
DEFAULT_CATEGORY = {
    Kind.LIFE_EVENT: Category.BASIC,
    Kind.SCHOOL: Category.DEVELOPMENT,
    Kind.SUPPORT: Category.SUPPORT,
    Kind.CONVERSATION: Category.SUPPORT,
    Kind.SIGNAL: Category.SUPPORT,
    Kind.STRENGTH: Category.BASIC,
}


def viewable_categories(user, child) -> list[str]:
    """The information categories of this child the user may see; entries are filtered by these."""
    return [c.value for c in Category if decide(user, Action.VIEW, child, c).allowed]


def writable_categories(user, child) -> list[str]:
    return [c.value for c in Category if decide(user, Action.CREATE, child, c).allowed]


def entries_for(user, child, *, kind: str = "", author_id: int | None = None, categories=None):
    categories = viewable_categories(user, child) if categories is None else categories
    qs = TimelineEntry.objects.filter(owned_visible(user, categories), child=child).select_related("author")
    if kind:
        qs = qs.filter(kind=kind)
    if author_id:
        qs = qs.filter(author_id=author_id)
    return qs.order_by("-happened_on", "-pk")


def owned_visible(user, categories) -> Q:
    """Entries in these categories that the user may see by their owner too (docs/record-owner.md): e.g. the
    school sees what a youth-care organisation wrote only with a consent to the school."""
    return visible_q_by_category(user, {c: c for c in categories}, "category", owner="")


def _clean(child, *, kind, happened_on: date, ends_on: date | None, text: str, category: str) -> dict:
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Schrijf kort op wat er gebeurde.")
    elif len(text) > 500:
        errors["text"] = _("Houd het kort: hoogstens 500 tekens.")
    if kind not in Kind.values:
        errors["kind"] = _("Kies een soort.")
    if category not in Category.values:
        errors["category"] = _("Kies een soort informatie.")
    if happened_on is None:
        errors["happened_on"] = _("Vul een datum in.")
    elif happened_on < child.date_of_birth:
        errors["happened_on"] = _("Deze datum ligt vóór de geboortedatum van %(name)s (%(born)s).") % {
            "name": child.first_name,
            "born": child.date_of_birth.strftime("%d-%m-%Y"),
        }
    elif happened_on > timezone.localdate() + timedelta(days=366):
        errors["happened_on"] = _("Deze datum ligt meer dan een jaar in de toekomst.")
    if ends_on and happened_on and ends_on < happened_on:
        errors["ends_on"] = _("De einddatum ligt vóór de begindatum.")
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "happened_on": happened_on, "ends_on": ends_on, "text": text, "category": category}


def add_entry(actor: Actor, child, *, author=None, **fields) -> TimelineEntry:
    """Guardians, the child (12+) and professionals add entries in categories the policy allows them.

    `author` is for entries another app writes on someone's behalf (a conversation's organiser when a
    colleague sends its feedback); the policy is still asked for the actor who does it."""
    fields.setdefault("ends_on", None)
    if not fields.get("category"):
        fields["category"] = DEFAULT_CATEGORY.get(fields.get("kind"), Category.BASIC)
    if fields["category"] not in Category.values:
        raise ValidationError({"category": _("Kies een soort informatie.")})
    # Ask the policy before validating: error messages mention the child (birth date), and someone
    # outside the circle must get a logged refusal, not those details.
    authorize(actor, Action.CREATE, child, fields["category"], label=_("een regel op de tijdlijn"))
    values = _clean(child, **fields)
    author = author or actor.user
    owner = owner_for_author(author, child)  # the organisation that records it (docs/record-owner.md)
    return TimelineEntry.objects.create(child=child, author=author, **owner.as_fields(), **values)


def can_correct(user, entry: TimelineEntry) -> bool:
    return entry.author_id == user.pk


def correct_entry(actor: Actor, entry: TimelineEntry, *, expected_version: int, **fields) -> TimelineEntry:
    """Only the author corrects. Compare-and-set on `version`: a stale form never overwrites.

    The policy is asked outside the transaction so a refusal stays in the access log."""
    authorize(actor, Action.CHANGE, entry.child, entry.category, obj=entry, label=_("een regel op de tijdlijn"))
    if not can_correct(actor.user, entry):
        raise ValidationError(_("Alleen wie deze regel schreef, kan hem verbeteren."))
    values = _clean(entry.child, **fields)
    if values["category"] != entry.category:
        authorize(actor, Action.CHANGE, entry.child, values["category"], obj=entry, label=_("een regel op de tijdlijn"))
    with transaction.atomic():
        return _save_correction(actor, entry, values, expected_version)


def _save_correction(actor: Actor, entry: TimelineEntry, values: dict, expected_version: int) -> TimelineEntry:
    current = TimelineEntry.objects.select_for_update().select_related("author").get(pk=entry.pk)
    if current.version != int(expected_version):
        raise StaleEdit(current)
    TimelineRevision.objects.create(
        entry=current,
        version=current.version,
        replaced_by=actor.user,
        **{f: getattr(current, f) for f in TEXT_FIELDS},
    )
    TimelineEntry.objects.filter(pk=current.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    menu_counts.forget_child(current.child_id)  # the child page's tile line (update() sends no signal)
    current.refresh_from_db()
    return current


@dataclass
class YearGroup:
    year: int
    entries: list


def group_by_year(entries) -> list[YearGroup]:
    groups: list[YearGroup] = []
    for e in entries:
        if not groups or groups[-1].year != e.happened_on.year:
            groups.append(YearGroup(e.happened_on.year, []))
        groups[-1].entries.append(e)
    return groups


PAGE_SIZE = 50


@dataclass
class TimelinePage:
    child: object
    categories: list
    page: object
    groups: list
    years: list
    authors: list
    writable: list


def log_read(actor: Actor, child, label: str, action=Action.VIEW) -> list[str]:
    """Log the read of every category this person may see; refuse (logged) when that is none."""
    categories = viewable_categories(actor.user, child)
    if action != Action.VIEW:
        categories = [c for c in categories if decide(actor.user, action, child, c).allowed]
    if not categories:
        authorize(actor, action, child, Category.BASIC, label=label)  # raises, and logs the refusal
    for category in categories:
        authorize(actor, action, child, category, label=label)
    return categories


def read_timeline(
    actor: Actor, child, *, kind: str = "", author_id: int | None = None, year: int | None = None, page: int = 1
) -> TimelinePage:
    """One window of the timeline (newest first), grouped by year, with the filter options.

    The number of queries does not depend on the number of entries: the page is a window."""
    from django.core.paginator import Paginator
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    categories = log_read(actor, child, _("de tijdlijn"))
    visible = TimelineEntry.objects.filter(owned_visible(actor.user, categories), child=child)
    years = list(visible.annotate(y=ExtractYear("happened_on")).values("y").annotate(n=Count("pk")).order_by("-y"))
    authors = list(
        visible.values("author_id", "author__full_name", "author__email").distinct().order_by("author__full_name")
    )
    qs = entries_for(actor.user, child, kind=kind, author_id=author_id, categories=categories)
    if year:
        qs = qs.filter(happened_on__year=year)
    paginator = Paginator(qs, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    page_obj.object_list = list(page_obj.object_list)
    roles = author_roles(child)
    for entry in page_obj.object_list:
        entry.author_role = roles.get(entry.author_id, "")
    return TimelinePage(
        child=child,
        categories=categories,
        page=page_obj,
        groups=group_by_year(page_obj.object_list),
        years=years,
        authors=authors,
        writable=writable_categories(actor.user, child),
    )


def author_roles(child) -> dict[int, str]:
    """Who someone is for this child ("moeder", "IB'er", "zelf"), so a family knows who wrote what."""
    roles = {m.user_id: m.role for m in child.circle.all()}
    roles.update({g.user_id: str(g.get_relation_display()) for g in child.guardianships.all()})
    if child.user_id:
        roles[child.user_id] = _("zelf")
    return roles


def history_of(actor: Actor, entry: TimelineEntry) -> list[TimelineRevision]:
    authorize(
        actor, Action.VIEW, entry.child, entry.category, obj=entry, label=_("de geschiedenis van een tijdlijnregel")
    )
    # An earlier version may have been in another category (e.g. health before a correction):
    # show only the versions this person may see.
    categories = viewable_categories(actor.user, entry.child)
    return list(entry.revisions.filter(category__in=categories).select_related("replaced_by"))
