"""The glossary of school words (issue 13 item 1, docs/languages.md): one page, translated explanations, and the
words linked where they appear on the child page and the plan."""

import pytest
from django.utils import translation

from apps.core.glossary import TERMS
from apps.core.templatetags.languages import bdi, glossary
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, circle_member, staff

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_word_and_explains_it_in_the_readers_language(client):
    page = client.get("/woorden/").content.decode()  # open to everyone, also before logging in
    for term in TERMS:
        assert f'id="{term.slug}"' in page
    assert "De intern begeleider" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/woorden/"})
    page = client.get("/woorden/").content.decode()
    assert "School words" in page and "This teacher arranges extra help" in page
    assert "IB&#x27;er" in page  # the word itself stays Dutch


def test_the_filter_links_each_word_once_and_escapes_the_rest():
    html = glossary("IB'er <script>x</script> en de IB'er van groep 5; Mr Jones")
    assert html.count('href="/woorden/#ib-er"') == 1 and 'href="/woorden/#groep">groep 5</a>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "#mr" not in html  # acronyms match in capitals only
    assert bdi("Fatima <b>") == "<bdi>Fatima &lt;b&gt;</bdi>"


def test_the_child_page_and_the_plan_link_the_school_words(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory(name="Groep 5")
    child = ChildFactory(group=group, school=group.school)
    parent = GuardianshipFactory(child=child).user
    ib = staff(Role.IB, school=group.school, user=UserFactory(is_demo=True))
    circle_member(child, ib, "IB'er", school=group.school, coordinator=True)
    client.force_login(parent)
    detail = client.get(f"/kinderen/{child.pk}/").content.decode()
    assert 'href="/woorden/#ib-er"' in detail and 'href="/woorden/#groep"' in detail
    assert f'class="profile__name"><bdi>{child.full_name}</bdi></h1>' in detail
    client.force_login(ib)
    plan = client.get(f"/plan/kind/{child.pk}/").content.decode()
    assert 'href="/woorden/#opp"' in plan
    with translation.override("nl"):
        assert f"Plan van <bdi>{child.first_name}</bdi>" in plan
