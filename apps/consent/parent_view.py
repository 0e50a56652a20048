"""From 16 the young person decides what the parents see of health and support (docs/age-rules.md).

The rule itself is in `rules.shared_with_parents` (used by the access policy); this module changes the
choice and describes it for a page or the API. Only the young person, from the 16th birthday, changes it:
the policy's `Action.SET_PARENT_VIEW` decides that, and every try is in the access log the family reads.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.access.policy import Action, authorize
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.notifications.services import notify
from apps.notifications.texts import Text

from . import rules
from .models import PARENT_VIEW_CATEGORIES, Category, ParentViewChoice

PAGE_LABEL = gettext_lazy("wat ouders zien van gezondheid en ondersteuning")
# What the access log says was changed. Fixed texts, so the family log can show them in every language.
LOG_LABELS = {
    (Category.HEALTH.value, True): gettext_lazy("wat ouders zien van gezondheid en verzuim (nu gedeeld)"),
    (Category.HEALTH.value, False): gettext_lazy("wat ouders zien van gezondheid en verzuim (nu niet gedeeld)"),
    (Category.SUPPORT.value, True): gettext_lazy("wat ouders zien van ondersteuning en plan (nu gedeeld)"),
    (Category.SUPPORT.value, False): gettext_lazy("wat ouders zien van ondersteuning en plan (nu niet gedeeld)"),
}


@dataclass(frozen=True)
class CategoryView:
    category: str
    label: str
    shared: bool  # what applies today
    choice: ParentViewChoice | None  # None: the young person has not chosen (yet)


@dataclass(frozen=True)
class ParentView:
    child: Child
    young_person_decides: bool
    decides_from: date  # the 16th birthday
    categories: list[CategoryView]


def sixteenth_birthday(child: Child) -> date:
    born = child.date_of_birth
    try:
        return born.replace(year=born.year + rules.YOUNG_PERSON_DECIDES_AT)
    except ValueError:  # born on 29 February: 16 on 1 March (as `age_on` counts)
        return date(born.year + rules.YOUNG_PERSON_DECIDES_AT, 3, 1)


def parent_view(child: Child, on: date | None = None) -> ParentView:
    """What the parents see of each category today, and whether that is the young person's choice."""
    on = on or timezone.localdate()
    choices = {c.category: c for c in reversed(list(child.parent_view_choices.select_related("decided_by")))}
    return ParentView(
        child=child,
        young_person_decides=rules.young_person_decides(child, on),
        decides_from=sixteenth_birthday(child),
        categories=[
            CategoryView(
                category=category,
                label=str(Category(category).label),
                shared=rules.shared_with_parents(child, category, on),
                choice=choices.get(category),
            )
            for category in PARENT_VIEW_CATEGORIES
        ],
    )


def set_shared(actor: Actor, child: Child, category: str, shared: bool) -> ParentViewChoice | None:
    """Record the young person's choice for one category. Anyone else is refused, and that is logged.

    Every try is logged. Returns the new choice, or None when it already was the choice (no new row)."""
    if category not in PARENT_VIEW_CATEGORIES:
        raise ValidationError(_("Kies gezondheid en verzuim of ondersteuning en plan."))
    shared = bool(shared)
    # Asked before anything else and outside the transaction, so a refusal stays in the access log.
    authorize(actor, Action.SET_PARENT_VIEW, child, Category.BASIC, label=LOG_LABELS[(category, shared)])
    current = rules.current_choice(child, category)
    if current is not None and current.shared == shared:
        return None
    choice = ParentViewChoice.objects.create(child=child, category=category, shared=shared, decided_by=actor.user)
    _tell_guardians(child, choice)
    return choice


def _tell_guardians(child: Child, choice: ParentViewChoice) -> None:
    url = reverse("consent:parent_view", args=[child.pk])
    # Kept as a message key: each parent reads it in their own language (docs/languages.md).
    if choice.shared:
        msgid = gettext_noop("%(name)s deelt %(category)s nu met u.")
    else:
        msgid = gettext_noop("%(name)s deelt %(category)s nu niet meer met u.")
    text = Text(msgid, name=child.first_name, category=Category(choice.category).label)
    # Parents without gezag are told nothing automatically (BW 1:377c, docs/guardians-and-gezag.md).
    for guardianship in child.guardianships.filter(information_mode="full").select_related("user"):
        notify(guardianship.user, f"parent-view:{choice.pk}", text, url=url)
