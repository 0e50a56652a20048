"""Who may read and write a thread, per role and per category (the policy decides; this pins the outcome)."""

import pytest

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.messaging import services
from apps.organisations.models import Role
from tests.factories import GroupFactory, GuardianshipFactory, UserFactory, staff

from .conftest import give_consent

pytestmark = pytest.mark.django_db

# role -> categories it may READ; write is the same except where noted in WRITE.
READ = {
    "mother": {"basic", "development", "support", "health"},
    "father_no_authority": set(),  # BW 1:377c: nothing without a granted request (docs/guardians-and-gezag.md)
    "teacher": {"basic", "development", "support", "health"},
    "other_teacher": set(),
    "ib": {"basic", "development", "support", "health"},
    "school_admin": {"basic"},
    "worker_consent_basic_support": {"basic", "support"},
    "worker_no_consent": set(),
    "other_parent": set(),
}
WRITE = {**READ, "father_no_authority": set(), "school_admin": set()}


@pytest.fixture
def people(circle):
    c = circle
    from tests.factories import CareOrganisationFactory, circle_member

    father2 = GuardianshipFactory(child=c["child"], relation="father", has_authority=False).user
    other_teacher = staff(Role.TEACHER, school=c["school"], groups=[GroupFactory(school=c["school"])],
                          user=UserFactory(is_demo=True))  # fmt: skip
    admin = staff(Role.SCHOOL_ADMIN, school=c["school"], user=UserFactory(is_demo=True))
    give_consent(c, ["basic", "support"])
    org2 = CareOrganisationFactory()
    worker2 = staff(Role.YOUTH_WORKER, organisation=org2, user=UserFactory(is_demo=True))
    circle_member(c["child"], worker2, organisation=org2)  # in the circle, but no consent
    return {
        "mother": c["mother"],
        "father_no_authority": father2,
        "teacher": c["teacher"],
        "other_teacher": other_teacher,
        "ib": c["ib"],
        "school_admin": admin,
        "worker_consent_basic_support": c["worker"],
        "worker_no_consent": worker2,
        "other_parent": GuardianshipFactory().user,
    }


@pytest.mark.parametrize("category", ["basic", "development", "support", "health"])
def test_thread_access_matrix(client, circle, people, category, settings):
    settings.MESSAGING_RATE_LIMIT = (1000, 60)
    thread = services.create_thread(Actor(circle["ib"]), circle["child"], category, "Onderwerp", "Tekst")
    for role, user in people.items():
        client.force_login(user)
        read = client.get(f"/berichten/gesprek/{thread.pk}/").status_code
        assert read == (200 if category in READ[role] else 403), (role, category, read)
        # The translation of a message is read exactly like the thread itself (docs/translation.md).
        message = thread.messages.first()
        translated = client.get(f"/berichten/bericht/{message.pk}/vertaling/?lang=en").status_code
        assert translated == read, (role, category, translated)
        before = thread.messages.count()
        write = client.post(f"/berichten/gesprek/{thread.pk}/", {"body": f"van {role}"}).status_code
        assert write == (302 if category in WRITE[role] else 403), (role, category, write)
        assert thread.messages.count() == before + (1 if category in WRITE[role] else 0)
        if category not in READ[role]:
            assert AccessLogEntry.objects.filter(actor=user, allowed=False, child_id=circle["child"].pk).exists()
        inbox = client.get("/berichten/").content.decode()
        assert ("Onderwerp" in inbox) == (category in READ[role]), (role, category)
