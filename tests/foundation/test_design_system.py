"""The design system (docs/web-app.md): vendored files true to node_modules, the icon tag, form fields,
the menu per role (every link once, log-out always there) and the child page as a profile whose query
count does not grow with what the tiles summarise."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.circles.models import Guardianship
from apps.core.templatetags.driehoek import initials
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, circle_member, staff

ROOT = Path(__file__).resolve().parents[2]


def _vendor_module():
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_files_are_true_copies_of_the_pinned_packages():
    vendor = _vendor_module()
    for path, text in vendor.expected_files().items():
        assert path.read_text() == text, f"{path} differs from node_modules: run `make vendor`"
    # Nothing is served from a CDN: the base template links only our own static files.
    base = (ROOT / "templates" / "base.html").read_text()
    assert "http://" not in base and "https://" not in base


def test_icon_tag_is_decoration_or_a_named_image():
    out = Template('{% load driehoek %}{% icon "house" %}|{% icon "bell" label="Meldingen" %}').render(Context())
    plain, named = out.split("|")
    assert 'aria-hidden="true"' in plain and "role=" not in plain and "<path" in plain
    assert 'role="img" aria-label="Meldingen"' in named and "aria-hidden" not in named
    with pytest.raises(TemplateSyntaxError):
        Template('{% load driehoek %}{% icon "no-such-icon" %}').render(Context())


def test_direction_icons_are_marked_to_mirror_on_right_to_left_pages():
    out = Template('{% load driehoek %}{% icon "chevron-right" %}{% icon "house" %}').render(Context())
    assert out.count("icon-mirror") == 1


class _Form(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals op de brief")


def test_form_fields_render_as_nl_design_system_fields_with_their_error():
    with translation.override("nl"):
        html = _Form(data={"name": ""}).as_div()
    assert "utrecht-form-field utrecht-form-field--invalid" in html
    assert "utrecht-form-field-error-message" in html and "Dit veld is vereist." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_name_helptext id_name_error"' in html
    assert "utrecht-form-field-description" in html


def _nav_keys(html):
    import re

    primary = html.split('class="appnav__tabs"')[1].split('class="appnav__more-tab"')[0]
    return re.findall(r'data-nav="([^"]+)"', primary), re.findall(r'data-nav="([^"]+)"', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind,expected",
    [
        ("parent", ["home", "messages", "conversations", "child"]),
        ("teacher", ["class", "register", "messages", "conversations"]),
        ("ib", ["attention", "pupils", "signals", "messages"]),
    ],
)
def test_primary_tabs_fit_the_role_and_every_link_is_there_once(client, settings, kind, expected):
    settings.DEMO_SKIP_TWO_FACTOR = True  # professionals would first be sent to set up two-step log-in
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school)
    if kind == "parent":
        user = GuardianshipFactory(child=child).user
    else:
        role = Role.TEACHER if kind == "teacher" else Role.IB
        user = staff(role, school=group.school, groups=[group], user=UserFactory(is_demo=True))
    client.force_login(user)
    html = client.get("/").content.decode()
    primary, everything = _nav_keys(html)
    assert primary == expected
    assert len(everything) == len(set(everything))  # each link once: in the tabs or under "Meer"
    assert {"notifications", "security", "helpguide:guide"} <= set(everything)
    assert 'action="/accounts/logout/"' in html and "Meer" in html and 'name="language"' in html


@pytest.mark.django_db
def test_a_parent_with_several_children_gets_a_children_tab(client):
    parent = UserFactory()
    for _ in range(3):
        GuardianshipFactory(user=parent)
    client.force_login(parent)
    html = client.get("/").content.decode()
    assert 'data-nav="child" href="/#kids"' in html


def _fill(child, author, n):
    from apps.messaging.models import Thread
    from apps.plans.models import Agreement
    from apps.timeline.models import Kind, TimelineEntry

    today = timezone.localdate()
    for i in range(n):
        TimelineEntry.objects.create(
            child=child, kind=Kind.STRENGTH, happened_on=today - timedelta(days=i), text=f"Moment {i}", author=author
        )
        Agreement.objects.create(child=child, what=f"Afspraak {i}", owner=author, due=today, created_by=author)
        Thread.objects.create(child=child, subject=f"Onderwerp {i}", created_by=author)


@pytest.mark.django_db
def test_child_page_is_a_profile_and_its_queries_do_not_grow_with_the_items(client):
    group = GroupFactory()
    ib = staff(Role.IB, school=group.school, user=UserFactory(full_name="Inge de Boer", is_demo=True))
    few, many = ChildFactory(group=group, school=group.school), ChildFactory(group=group, school=group.school)
    parent = UserFactory(full_name="Anna Jansen")
    for child in (few, many):
        GuardianshipFactory(child=child, user=parent, relation=Guardianship.Relation.MOTHER)
        circle_member(child, ib, role="IB'er", school=group.school, coordinator=True)
    _fill(few, ib, 1)
    _fill(many, ib, 12)
    client.force_login(parent)
    client.get(f"/kinderen/{few.pk}/")  # warm the per-process caches (content types, templates)
    counts = []
    for child in (few, many):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/kinderen/{child.pk}/")
        assert response.status_code == 200
        # without the access log's lock per chain, which only PostgreSQL takes (apps/audit/log.py `_lock_chains`)
        counts.append([q["sql"] for q in ctx.captured_queries if "pg_advisory_xact_lock" not in q["sql"]])
    assert len(counts[0]) == len(counts[1]), "\n".join(q[:150] for q in counts[1] if q not in counts[0])
    counts = [len(c) for c in counts]
    assert counts == [21, 21]  # pinned: a new tile or summary must keep to a fixed number of queries
    html = response.content.decode()
    assert f'<span class="avatar avatar--lg" aria-hidden="true">{initials(many.full_name)}</span>' in html
    assert "12 open afspraken" in html and "12 momenten, het laatste op" in html
    assert "12 onderwerpen, laatste bericht op" in html
    assert "Stuur bericht" in html and f"/berichten/kind/{many.pk}/nieuw/" in html
    assert 'class="faces"' in html and "Inge de Boer" in html


def test_balance_bar_is_an_svg_with_the_numbers_as_its_name():
    html = Template('{% include "components/balance_bar.html" with positive=3 concern=1 %}').render(Context())
    assert 'role="img" aria-label="3 positief, 1 zorg"' in html
    assert 'class="balance-bar__positive" x="0" y="0" height="8" width="75"' in html
    assert 'x="75" width="25"' in html
    empty = Template('{% include "components/balance_bar.html" with positive=0 concern=0 %}').render(Context())
    assert "balance-bar__none" in empty and "0 positief, 0 zorg" in empty


def test_initials_for_avatars():
    assert initials("Noor van den Berg") == "NB"
    assert initials("Sanne") == "S"
    assert initials("") == "?"


def test_share_bar_draws_the_share_and_leaves_the_words_to_the_page():
    html = Template('{% include "components/share_bar.html" with share=40 %}').render(Context())
    assert 'class="share-bar__value" x="0" y="0" height="8" width="40"' in html and 'aria-hidden="true"' in html
    assert Template('{% include "components/share_bar.html" with share=None %}').render(Context()).strip() == ""
