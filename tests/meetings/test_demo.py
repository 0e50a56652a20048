import pytest
from django.urls import reverse
from django.utils import timezone

from apps.meetings import demo
from apps.meetings.models import ActionItem, Meeting, Outcome, Table

pytestmark = pytest.mark.django_db


def test_demo_meeting_loads_once_with_tables_outcomes_and_actions():
    from apps.demo.school import build

    build()
    demo.load()
    demo.load()
    meeting = Meeting.objects.get()
    assert meeting.school.name == "De Wegwijzer"
    assert Table.objects.count() == 3 and Outcome.objects.count() == 4
    assert ActionItem.objects.count() == 8
    assert ActionItem.objects.filter(theme__isnull=False, updates__isnull=False).exists()
    for table in Table.objects.all():
        assert "gespreksleider" in table.explanation


def test_demo_pages_render_for_the_ib_and_a_parent(client, settings):
    from apps.accounts.models import User
    from apps.demo.school import DOMAIN, build

    settings.DEMO_SKIP_TWO_FACTOR = True
    build()
    demo.load()
    meeting = Meeting.objects.get()
    client.force_login(User.objects.get(email=f"ib@{DOMAIN}"))
    page = client.get(f"/bijeenkomsten/{meeting.pk}/").content.decode()
    assert "groep 1:" in page and "Thematafels" in page
    client.force_login(User.objects.get(email=f"ouder@{DOMAIN}"))
    page = client.get(f"/bijeenkomsten/school/{meeting.school.pk}/jullie-zeiden-wij-deden/").content.decode()
    assert "Pro-actieve communicatie via Parro" in page and "wekelijks Parro-bericht" in page


def test_demo_has_a_learning_community_with_members_and_a_stalled_and_a_stopped_action():
    from apps.demo.school import build
    from apps.meetings.models import CommunityMember, LearningCommunity
    from apps.meetings.services import stalled_actions

    build()
    demo.load()
    demo.load()
    community = LearningCommunity.objects.get()
    roles = set(community.members.values_list("role", flat=True))
    assert {CommunityMember.Role.IB, CommunityMember.Role.DIRECTOR, CommunityMember.Role.PARENT} <= roles
    assert all(m.user.full_name for m in community.members.select_related("user"))
    stopped = ActionItem.objects.get(status=ActionItem.Status.STOPPED)
    assert "ouderkamer" in stopped.stopped_reason
    assert stalled_actions().filter(school=community.school).count() == 1


def test_demo_has_a_closed_monitor_wave_with_enough_answers_for_results(client, settings):
    from apps.accounts.models import User
    from apps.demo.school import DOMAIN, build
    from apps.monitor import demo as monitor_demo
    from apps.monitor import results
    from apps.monitor.demo import TITLE
    from apps.monitor.models import Response, Wave

    settings.DEMO_SKIP_TWO_FACTOR = True
    build()
    monitor_demo.load()
    monitor_demo.load()
    wave = Wave.objects.get()
    assert not wave.is_open() and wave.closes_on < timezone.localdate()
    assert Response.objects.filter(wave=wave).count() >= 5
    result = results.wave_result(wave)
    assert not result.withheld and any(not cell.withheld for _k, _label, row in result.rows() for cell in row)
    client.force_login(User.objects.get(email=f"ib@{DOMAIN}"))
    page = client.get(reverse("monitor:wave", args=[wave.pk]))
    assert page.status_code == 200 and TITLE in page.content.decode()
