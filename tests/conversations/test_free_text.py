"""Free text (purpose, preparation answers) is stored as typed or refused with a Dutch message; never a crash."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.log import Actor
from apps.conversations import services
from apps.conversations.models import Conversation
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff, years_ago

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=600)


@pytest.fixture
def circle():
    group = GroupFactory()
    teacher = staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory())
    child = ChildFactory(group=group, date_of_birth=years_ago(8))
    return teacher, child, GuardianshipFactory(child=child).user


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(purpose=TEXT)
def test_any_purpose_is_saved_exactly_or_refused_in_dutch(circle, purpose):
    teacher, child, parent = circle
    before = Conversation.objects.count()
    try:
        c = services.plan_conversation(
            Actor(teacher), child, kind="progress", purpose=purpose, place="School",
            starts_at=timezone.now() + timedelta(days=1), participants=[parent], send=False,
        )  # fmt: skip
    except ValidationError as e:
        assert Conversation.objects.count() == before
        assert "purpose" in e.message_dict
        assert not purpose.strip() or len(purpose.strip()) > 500
    else:
        assert c.purpose == purpose.strip() and 0 < len(c.purpose) <= 500


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(proud=TEXT, difficult=TEXT)
def test_any_child_answer_is_kept_as_typed_or_refused(circle, proud, difficult):
    teacher, child, parent = circle
    conversation = Conversation.objects.filter(child=child).first() or services.plan_conversation(
        Actor(teacher), child, kind="progress", purpose="Lezen", place="School",
        starts_at=timezone.now() + timedelta(days=1), participants=[parent], send=False,
    )  # fmt: skip
    seat = services.child_participant(conversation)
    try:
        prep = services.save_preparation(Actor(parent), conversation, seat, {"proud": proud, "difficult": difficult})
    except ValidationError as e:
        assert e.messages and all(m for m in e.messages)
    else:
        assert prep.answers["proud"] == proud.strip() and prep.answers["difficult"] == difficult.strip()
