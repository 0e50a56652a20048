"""Demo threads and announcements for "De Wegwijzer". Idempotent; sends nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.circles.models import Child
from apps.demo.school import DOMAIN, SCHOOL_NAME
from apps.organisations.models import CareOrganisation, School

from .models import Announcement, Message, ReadReceipt, Thread


def _user(local):
    return User.objects.filter(email=f"{local}@{DOMAIN}").first()


def _thread(child, category, subject, created_by, messages, start):
    thread = Thread.objects.create(
        child=child, category=category, subject=subject, created_by=created_by, created_at=start
    )
    at = start
    for author, body, tag, readers in messages:
        at += timedelta(hours=5)
        m = Message.objects.create(thread=thread, author=author, body=body, tag=tag, created_at=at)
        ReadReceipt.objects.bulk_create([ReadReceipt(message=m, user=u, read_at=at) for u in {author, *readers}])
    Thread.objects.filter(pk=thread.pk).update(last_message_at=at)
    return thread


@transaction.atomic
def load() -> bool:
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None or Thread.objects.filter(child__school=school).exists():
        return False
    now = timezone.now()
    ib, sanne, anouk, maria = _user("ib"), _user("ouder"), _user("ouder.deboer"), _user("cjg")
    director = _user("directeur")
    noor = Child.objects.filter(school=school, first_name="Noor", last_name="Peters").first()
    lotte = Child.objects.filter(school=school, first_name="Lotte", last_name="de Boer").first()
    if not all([ib, sanne, anouk, maria, noor, lotte]):
        return False
    noor_teacher = noor.circle.filter(role="leerkracht").first().user
    lotte_teacher = lotte.circle.filter(role="leerkracht").first().user
    # Noor's family has only heard concerns lately: the balance page shows the gentle prompt.
    _thread(
        noor,
        "development",
        "Rekenen in groep 5",
        noor_teacher,
        [
            (
                noor_teacher,
                "Noor vindt de tafels nog lastig. Kunnen we samen kijken hoe we haar helpen?",
                "zorg",
                [sanne],
            ),
            (sanne, "Dank voor het laten weten. Thuis oefenen we nu elke avond even.", "", [noor_teacher]),
            (noor_teacher, "Ze was vandaag erg moe in de klas.", "zorg", []),
        ],
        now - timedelta(days=10),
    )
    _thread(
        lotte,
        "basic",
        "Spreekbeurt",
        lotte_teacher,
        [
            (
                lotte_teacher,
                "Lotte hield vandaag een prachtige spreekbeurt over haar hond. Wat was ze trots!",
                "positief",
                [anouk],
            ),
            (anouk, "Wat leuk om te horen! Ze had er thuis hard op geoefend.", "", [lotte_teacher]),
        ],
        now - timedelta(days=4),
    )
    # Support category: Maria (CJG) reads along because Lotte's mother gave consent for it.
    _thread(
        lotte,
        "support",
        "Afstemming school en CJG",
        ib,
        [
            (ib, "Zullen we na de herfstvakantie samen met moeder terugkijken op de afspraken?", "", [maria]),
            (maria, "Goed idee. Woensdag na het spreekuur kan ik.", "", [ib, anouk]),
        ],
        now - timedelta(days=2),
    )
    Announcement.objects.create(
        school=school,
        title="Studiedag vrijdag 4 december",
        body="Vrijdag 4 december zijn alle kinderen vrij. De leerkrachten volgen een studiedag.",
        requires_confirmation=True,
        author=director or ib,
        published_at=now - timedelta(days=1),
        delivered_at=now - timedelta(days=1),
    )
    cjg = CareOrganisation.objects.filter(name="CJG Rivierstad").first()
    Announcement.objects.create(
        school=school,
        title="Tip van het CJG: een vast slaapritme",
        body="Kinderen van 4 tot 12 jaar hebben 10 tot 12 uur slaap nodig. Een vast ritme helpt: elke avond "
        "dezelfde volgorde (tanden poetsen, voorlezen, licht uit). Vragen? Loop woensdag binnen bij het spreekuur.",
        is_newsletter=True,
        organisation=cjg,
        author=maria,
        published_at=now - timedelta(days=3),
        delivered_at=now - timedelta(days=3),
    )
    return True
