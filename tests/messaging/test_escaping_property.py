"""Property: whatever text someone types, the thread page shows it as text, never as markup."""

from types import SimpleNamespace

import pytest
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.messaging import rules

pytestmark = pytest.mark.django_db

TAGGY = st.text(alphabet=st.sampled_from(list("<>&\"'/ scriptimgonerror=abc\n")), min_size=1, max_size=80)
ANY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=120)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(TAGGY, ANY))
def test_message_body_is_always_escaped(body, rf):
    message = SimpleNamespace(
        pk=1, author="Ingrid Smit", author_id=1, created_at=None, tag="", body=body,
        attachments=SimpleNamespace(all=lambda: []),
    )  # fmt: skip
    html = render_to_string(
        "messaging/thread.html",
        {
            "thread": SimpleNamespace(subject="Week", pk=1, get_category_display="basis"),
            "child": SimpleNamespace(full_name="Noor", pk=1),
            "page": SimpleNamespace(has_previous=False, has_next=False),
            "rows": [{"m": message, "readers": []}],
            "can_post": False,
        },
        request=rf.get("/"),
    )
    # The body appears exactly once, in its escaped form: markup typed by someone is shown as text.
    assert f"<p>{linebreaksbr(body, autoescape=True)}</p>" in html
    if "<script" in body:
        assert "<script" not in html.split('id="messages"')[1]


def test_rate_limit_text_is_dutch_and_says_nothing_is_lost():
    assert "Uw tekst staat nog in het formulier" in rules.rate_limit_text()
