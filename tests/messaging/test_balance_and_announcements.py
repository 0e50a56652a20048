"""Contact balance (positive vs concern) and announcements for a school or a class."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.messaging import rules, services
from apps.messaging.models import Announcement, Message
from apps.notifications.models import Notification
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff

from .conftest import give_consent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("positive", "concern", "prompt"),
    [(0, 0, False), (0, 1, True), (0, 5, True), (1, 5, False), (3, 0, False)],
)
def test_prompt_only_when_a_family_heard_only_concerns(positive, concern, prompt):
    assert rules.needs_positive_prompt(positive, concern) is prompt


def test_balance_counts_tagged_messages_of_the_last_weeks(circle, settings):
    c = circle
    settings.MESSAGING_RATE_LIMIT = (100, 60)
    thread = services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Week", "Zorg over huiswerk", "zorg")
    services.post_message(Actor(c["teacher"]), thread, "Nog een zorg", "zorg")
    services.post_message(Actor(c["teacher"]), thread, "Gewoon", "")
    old = services.post_message(Actor(c["teacher"]), thread, "Lang geleden goed", "positief")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(weeks=10))
    b = rules.balances_for([c["child"].pk])[c["child"].pk]
    assert (b.positive, b.concern, b.only_concerns, b.positive_share) == (0, 2, True, 0)
    services.post_message(Actor(c["teacher"]), thread, "Super gedaan vandaag!", "positief")
    b = rules.balances_for([c["child"].pk])[c["child"].pk]
    assert (b.positive, b.concern, b.only_concerns, b.positive_share) == (1, 2, False, 33)


def test_teacher_sees_balance_and_prompt_per_class_and_child(client, circle):
    c = circle
    services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Week", "Zorg over huiswerk", "zorg")
    client.force_login(c["teacher"])
    page = client.get("/berichten/balans/").content.decode()
    assert c["child"].full_name in page and "Deel ook eens iets positiefs" in page
    child_page = client.get(f"/berichten/kind/{c['child'].pk}/").content.decode()
    assert "positive-prompt" in child_page
    client.post(
        f"/berichten/kind/{c['child'].pk}/nieuw/",
        {"subject": "Goed nieuws", "category": "basic", "body": "Wat een mooie spreekbeurt!", "tag": "positief"},
    )
    child_page = client.get(f"/berichten/kind/{c['child'].pk}/").content.decode()
    assert "positive-prompt" not in child_page and "50% positief" in child_page


def test_guardian_does_not_see_the_balance_page(client, circle):
    client.force_login(circle["mother"])
    assert client.get("/berichten/balans/").status_code == 404
    assert "Contactbalans" not in client.get(f"/berichten/kind/{circle['child'].pk}/").content.decode()


# --- announcements -------------------------------------------------------------------------------------------------


@pytest.fixture
def school(circle):
    c = circle
    other_group = GroupFactory(school=c["school"], name="Groep Acht")
    other_child = ChildFactory(group=other_group, school=c["school"])
    other_parent = GuardianshipFactory(child=other_child).user
    return {**c, "other_group": other_group, "other_parent": other_parent}


def test_guardians_see_only_their_childrens_classes(client, school, django_capture_on_commit_callbacks):
    s = school
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_announcement(s["ib"], school=s["school"], title="Studiedag", body="Vrijdag vrij")
        services.publish_announcement(
            s["teacher"], school=s["school"], group=s["group"], title="Uitje", body="Dierentuin"
        )
        services.publish_announcement(s["ib"], school=s["school"], group=s["other_group"], title="Kamp", body="Groep 8")
    client.force_login(s["mother"])
    page = client.get("/berichten/mededelingen/").content.decode()
    assert "Studiedag" in page and "Uitje" in page and "Kamp" not in page
    kamp = Announcement.objects.get(title="Kamp")
    assert client.get(f"/berichten/mededelingen/{kamp.pk}/").status_code == 404
    client.force_login(s["other_parent"])
    page = client.get("/berichten/mededelingen/").content.decode()
    assert "Kamp" in page and "Uitje" not in page


def test_teacher_may_post_only_for_own_class(school):
    s = school
    with pytest.raises(Exception, match="geen mededeling"):
        services.publish_announcement(s["teacher"], school=s["school"], group=s["other_group"], title="x", body="y")
    with pytest.raises(Exception, match="geen mededeling"):
        services.publish_announcement(s["mother"], school=s["school"], title="x", body="y")


def test_delivery_is_queued_and_idempotent(school, mailoutbox, django_capture_on_commit_callbacks):
    s = school
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        a = services.publish_announcement(
            s["ib"], school=s["school"], title="Studiedag", body="Vrij", requires_confirmation=True
        )
    assert len(callbacks) == 1 and not mailoutbox  # nothing sent inside the request; delivery is a task
    callbacks[0]()
    assert len(mailoutbox) == 3  # mother, father, other parent
    assert services.deliver_announcement(a.pk) == 0  # a re-run sends nothing twice
    assert len(mailoutbox) == 3
    assert Notification.objects.filter(key=f"announcement:{a.pk}").count() == 3
    a.refresh_from_db()
    assert a.emails_queued == 3 and a.delivered_at


def test_read_confirmation(client, school):
    s = school
    a = services.publish_announcement(
        s["ib"], school=s["school"], title="Toestemming uitje", body="Graag lezen", requires_confirmation=True
    )
    client.force_login(s["mother"])
    assert "Ik heb dit gelezen" in client.get(f"/berichten/mededelingen/{a.pk}/").content.decode()
    client.post(f"/berichten/mededelingen/{a.pk}/gelezen/")
    client.post(f"/berichten/mededelingen/{a.pk}/gelezen/")
    assert a.confirmations.count() == 1
    client.force_login(s["ib"])
    assert "1 keer bevestigd" in client.get(f"/berichten/mededelingen/{a.pk}/").content.decode()


def test_cjg_worker_publishes_newsletter_item_for_a_school_it_works_with(client, school):
    s = school
    client.force_login(s["worker"])
    page = client.get("/berichten/mededelingen/nieuw/")
    assert page.status_code == 200
    response = client.post(
        "/berichten/mededelingen/nieuw/",
        {"target": f"school:{s['school'].pk}", "title": "Tip: slapen", "body": "Een vast ritme helpt."},
    )
    assert response.status_code == 302
    item = Announcement.objects.get(title="Tip: slapen")
    assert item.is_newsletter and item.organisation == s["cjg"]
    client.force_login(s["mother"])
    assert "Tip: slapen" in client.get("/berichten/mededelingen/").content.decode()
    lone = staff(Role.YOUTH_WORKER, user=UserFactory(is_demo=True))
    client.force_login(lone)
    assert client.get("/berichten/mededelingen/nieuw/").status_code == 404


def test_consent_for_category_is_enough_for_worker_to_post(client, circle):
    c = circle
    give_consent(c, ["basic"])
    thread = services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Week", "Hallo")
    client.force_login(c["worker"])
    assert client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "Fijn om te horen"}).status_code == 302
