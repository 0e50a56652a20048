"""Free-form text (hypothesis): stored as typed or refused with a Dutch message; never run as HTML."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.plans.services import add_agreement
from apps.timeline.models import Kind
from apps.timeline.services import add_entry, read_timeline

from .conftest import web

pytestmark = pytest.mark.django_db

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'/"), max_size=600
) | st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "   ", ""])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_timeline_text_is_kept_or_refused(circle, text):
    day = timezone.localdate() - timedelta(days=1)
    try:
        entry = add_entry(web(circle.mother), circle.child, kind=Kind.STRENGTH, happened_on=day, text=text)
    except ValidationError as e:
        assert "text" in e.message_dict
        assert not text.strip() or len(text.strip()) > 500
        return
    assert entry.text == text.strip()
    page = read_timeline(web(circle.mother), circle.child, kind=Kind.STRENGTH)
    html = render_to_string(
        "timeline/print.html", {"child": circle.child, "groups": page.groups, "today": timezone.localdate()}
    )
    assert "<script>alert" not in html and "<img src=x" not in html


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_agreement_text_is_kept_or_refused(circle, text):
    try:
        a = add_agreement(web(circle.ib), circle.child, what=text, owner=circle.mother, due=timezone.localdate())
    except ValidationError as e:
        assert "what" in e.message_dict
        return
    assert a.what == text.strip()


def test_child_of_twelve_adds_own_entry(circle):
    from tests.factories import UserFactory, years_ago

    circle.child.user = UserFactory()
    circle.child.date_of_birth = years_ago(12, days=5)
    circle.child.save()
    entry = add_entry(
        web(circle.child.user),
        circle.child,
        kind=Kind.STRENGTH,
        happened_on=timezone.localdate(),
        text="Ik kan goed koken",
    )
    assert entry.author == circle.child.user
