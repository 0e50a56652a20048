"""Demo conversations (idempotent): a care conversation for Lotte still waiting for feedback, and an
upcoming progress conversation for Emma with her own preparation answers."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.demo.school import DOMAIN

from . import services
from .models import Conversation

LOTTE_PURPOSE = "Samen kijken hoe Lotte zich thuis en op school voelt, en wat zij nodig heeft."
EMMA_PURPOSE = "Hoe gaat het met rekenen, en wat helpt Emma om mee te doen in de klas?"


@transaction.atomic
def load() -> bool:
    if Conversation.objects.filter(purpose__in=[LOTTE_PURPOSE, EMMA_PURPOSE]).exists():
        return False
    try:
        ib = User.objects.get(email=f"ib@{DOMAIN}")
        lotte = Child.objects.get(first_name="Lotte", last_name="de Boer")
        emma = Child.objects.get(first_name="Emma", last_name="Yilmaz")
    except (User.DoesNotExist, Child.DoesNotExist):
        return False
    actor = Actor(ib, channel="job")
    held = timezone.now() - timedelta(days=10)
    care = services.plan_conversation(
        actor,
        lotte,
        kind="care",
        purpose=LOTTE_PURPOSE,
        starts_at=held,
        minutes=45,
        place="Kamer van de IB'er",
        # Only the parent with gezag: the father without gezag is not invited automatically (BW 1:377c).
        participants=[g.user for g in lotte.guardianships.filter(information_mode="full")]
        + [User.objects.get(email=f"cjg@{DOMAIN}")],
        send=False,
        now=held - timedelta(days=7),
    )
    services.record_meeting(
        actor, care, notes="Lotte vertelde zelf over de pauzes.", went_well="Lotte heeft een vriendin in de klas."
    )
    teacher = User.objects.get(email=f"leerkracht4@{DOMAIN}")
    progress = services.plan_conversation(
        Actor(teacher, channel="job"),
        emma,
        kind="progress",
        purpose=EMMA_PURPOSE,
        starts_at=timezone.now() + timedelta(days=5),
        place="Groep 4",
        participants=[g.user for g in emma.guardianships.all()],
        send=False,
    )
    seat = services.child_participant(progress)
    mother = User.objects.get(email=f"ouder.yilmaz@{DOMAIN}")
    services.save_preparation(
        Actor(mother, channel="job"),
        progress,
        seat,
        {"proud": "Ik kan tot 100 tellen!", "difficult": "Stil zitten", "tell_teacher": "Ik vind tekenen leuk"},
        mood="happy",
    )
    return True
