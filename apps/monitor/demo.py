"""Demo data: a closed partnership-monitor wave at De Wegwijzer (six to three weeks ago) in groep 5 and 6,
answered by enough parents to show results (docs/learning.md). Idempotent: a second load creates nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.demo.school import DOMAIN, SCHOOL_NAME
from apps.organisations.models import School

from . import services
from .models import Participant, Perspective, Wave

TITLE = "Peiling samenwerking (demo)"
# Fictional answers on the 1-5 scale per parent, so the results differ per key.
ANSWERS = ["4445433245", "5444434345", "3434423244", "4545534355", "4434423345", "3444433234", "5545434445"]


@transaction.atomic
def load() -> None:
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None or Wave.objects.filter(school=school, title=TITLE).exists():
        return
    ib = User.objects.get(email=f"ib@{DOMAIN}")
    opened = timezone.localdate() - timedelta(weeks=6)
    groups = list(school.groups.filter(name__in=["Groep 5", "Groep 6"]))
    wave = services.start_wave(
        school=school, by=ib, title=TITLE, closes_on=opened + timedelta(weeks=3), groups=groups,
        perspectives=[Perspective.PARENT], today=opened,
    )  # fmt: skip
    parents = [p.user for p in Participant.objects.filter(wave=wave).select_related("user").order_by("pk")]
    for i, user in enumerate(parents[: max(len(ANSWERS), services.MIN_ANSWERS + 2)]):
        values = ANSWERS[i % len(ANSWERS)]
        data = {f"p{n}": values[n - 1] for n in range(1, 11)}
        services.submit(wave, user, data, today=opened + timedelta(days=1 + i % 10))
