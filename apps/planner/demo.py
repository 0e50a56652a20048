"""Demo data: start-of-year rounds for groep 5 and groep 3 of De Wegwijzer (idempotent).

Sanne Peters has Noor in groep 5 (already booked) and Daan in groep 3 (not yet): her booking page for
Daan offers the slot right after Noor's conversation first.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.demo.school import DOMAIN, SCHOOL_NAME
from apps.organisations.models import Group

from . import services
from .models import Round

PURPOSE = (
    "Kennismaken aan het begin van het jaar: wat gaat goed, wat heeft uw kind nodig, wat verwachten we van elkaar?"
)


def _evening(days: int, start=time(18, 0), end=time(21, 15)):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, start)), timezone.make_aware(datetime.combine(day, end))


@transaction.atomic
def load() -> bool:
    groups = {g.year_level: g for g in Group.objects.filter(school__name=SCHOOL_NAME)}
    if not groups or Round.objects.filter(group__in=groups.values(), purpose=PURPOSE).exists():
        return False
    rounds = {}
    for level in (5, 3):
        teacher = User.objects.get(email=f"leerkracht{level}@{DOMAIN}")
        rounds[level] = services.open_round(
            teacher,
            groups[level],
            purpose=PURPOSE,
            windows=[_evening(14), _evening(16)],
            slot_minutes=15,
            place=f"Lokaal {groups[level].name}",
        )
    sanne = User.objects.get(email=f"ouder@{DOMAIN}")
    noor = Child.objects.get(first_name="Noor", last_name="Peters")
    services.book_slot(Actor(sanne, channel="job"), rounds[5].slots.all()[2], noor)
    # A few other families in groep 5 have booked already; the teacher sees who has not.
    others = Child.objects.filter(group=groups[5]).exclude(pk=noor.pk).prefetch_related("guardianships__user")[:6]
    for i, child in enumerate(others):
        guardian = next((g.user for g in child.guardianships.all() if g.has_authority), None)
        if guardian:
            services.book_slot(Actor(guardian, channel="job"), rounds[5].slots.all()[5 + i], child)
    return True
