"""The timeline: consent decides which entries show, corrections keep history, bad input is refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.models import AccessLogEntry
from apps.timeline.models import Kind, TimelineEntry, TimelineRevision
from apps.timeline.services import StaleEdit, add_entry, correct_entry, read_timeline
from tests.factories import reauthenticated

from .conftest import web

pytestmark = pytest.mark.django_db


def entry(circle, user=None, **kw):
    values = {
        "kind": Kind.LIFE_EVENT,
        "happened_on": timezone.localdate() - timedelta(days=30),
        "text": "Verhuisd naar Utrecht",
        "category": "basic",
    } | kw
    return add_entry(web(user or circle.mother), circle.child, **values)


@pytest.fixture
def logged_in(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def login(user):
        client.force_login(user)
        return client

    return login


def test_guardian_adds_a_strength(circle):
    e = entry(circle, kind=Kind.STRENGTH, text="Kan heel goed tekenen", category="")
    assert e.is_strength and e.category == "basic" and e.author == circle.mother


def test_entry_before_birth_is_refused_in_dutch(circle):
    with pytest.raises(ValidationError) as err:
        entry(circle, happened_on=circle.child.date_of_birth - timedelta(days=1))
    assert "vóór de geboortedatum" in err.value.message_dict["happened_on"][0]
    assert not TimelineEntry.objects.exists()


def test_period_end_before_start_is_refused(circle):
    with pytest.raises(ValidationError) as err:
        entry(circle, ends_on=timezone.localdate() - timedelta(days=60))
    assert "ends_on" in err.value.message_dict


def test_cjg_worker_with_support_consent_sees_support_not_health(circle):
    entry(circle, user=circle.ib, kind=Kind.SUPPORT, text="Start logopedie", category="support")
    entry(circle, user=circle.ib, kind=Kind.LIFE_EVENT, text="Ziekenhuisopname", category="health")
    page = read_timeline(web(circle.worker), circle.child)
    texts = [e.text for g in page.groups for e in g.entries]
    assert texts == ["Start logopedie"]
    assert page.categories == ["basic", "support"]  # basic: implied by the consent (docs/youth-care.md)
    teacher_texts = [e.text for g in read_timeline(web(circle.teacher), circle.child).groups for e in g.entries]
    assert set(teacher_texts) == {"Start logopedie", "Ziekenhuisopname"}


def test_worker_cannot_write_health_entry_and_refusal_is_logged(circle):
    with pytest.raises(AccessDenied):
        entry(circle, user=circle.worker, category="health")
    assert AccessLogEntry.objects.filter(actor_id=circle.worker.pk, allowed=False, category="health").exists()


def test_worker_without_consent_is_refused_and_logged(circle):
    with pytest.raises(AccessDenied):
        read_timeline(web(circle.worker_no_consent), circle.child)
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, allowed=False).exists()


def test_correction_keeps_history(circle):
    e = entry(circle)
    corrected = correct_entry(
        web(circle.mother),
        e,
        expected_version=1,
        kind=Kind.LIFE_EVENT,
        happened_on=e.happened_on,
        ends_on=None,
        text="Verhuisd naar Amersfoort",
        category="basic",
    )
    assert corrected.text == "Verhuisd naar Amersfoort" and corrected.version == 2
    rev = TimelineRevision.objects.get(entry=e)
    assert rev.text == "Verhuisd naar Utrecht" and rev.version == 1 and rev.replaced_by == circle.mother


def test_only_the_author_corrects(circle):
    e = entry(circle)
    with pytest.raises(ValidationError):
        correct_entry(
            web(circle.ib), e, expected_version=1, kind=e.kind, happened_on=e.happened_on, ends_on=None,
            text="anders", category="basic",
        )  # fmt: skip


def test_stale_correction_is_detected_and_nothing_overwritten(circle):
    e = entry(circle)
    fields = {"kind": e.kind, "happened_on": e.happened_on, "ends_on": None, "category": "basic"}
    correct_entry(web(circle.mother), e, expected_version=1, text="Eerste verbetering", **fields)
    with pytest.raises(StaleEdit) as err:
        correct_entry(web(circle.mother), e, expected_version=1, text="Oude tab", **fields)
    assert err.value.current.text == "Eerste verbetering"
    e.refresh_from_db()
    assert e.text == "Eerste verbetering" and e.revisions.count() == 1


def test_page_shows_strength_and_escapes_script(circle, logged_in):
    entry(circle, kind=Kind.STRENGTH, text="<script>alert('x')</script> Sterk in rekenen")
    response = logged_in(circle.mother).get(reverse("timeline:child", args=[circle.child.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "entry kind-strength strength" in html
    assert "(moeder)" in html  # who the author is for this child
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_add_through_the_page_and_filters(circle, logged_in):
    client = logged_in(circle.mother)
    url = reverse("timeline:child", args=[circle.child.pk])
    response = client.post(
        url,
        {
            "happened_on": timezone.localdate().isoformat(),
            "kind": "strength",
            "text": "Helpt anderen",
            "category": "basic",
        },
    )
    assert response.status_code == 302
    entry(circle, user=circle.ib, kind=Kind.SCHOOL, text="Naar groep 6", category="development")
    html = client.get(url, {"soort": "strength"}).content.decode()
    assert "Helpt anderen" in html and "Naar groep 6" not in html
    html = client.get(url, {"door": circle.ib.pk}).content.decode()
    assert "Helpt anderen" not in html and "Naar groep 6" in html


def test_bad_input_on_the_page_keeps_the_text(circle, logged_in):
    client = logged_in(circle.mother)
    before = (circle.child.date_of_birth - timedelta(days=3)).isoformat()
    response = client.post(
        reverse("timeline:child", args=[circle.child.pk]),
        {"happened_on": before, "kind": "life_event", "text": "Mijn lange verhaal", "category": "basic"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "vóór de geboortedatum" in html and "Mijn lange verhaal" in html
    assert not TimelineEntry.objects.exists()


def test_outsider_gets_403_and_it_is_logged(circle, logged_in):
    response = logged_in(circle.worker_no_consent).get(reverse("timeline:child", args=[circle.child.pk]))
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, allowed=False).exists()


def test_stale_edit_on_the_page_asks_instead_of_overwriting(circle, logged_in):
    e = entry(circle)
    client = logged_in(circle.mother)
    url = reverse("timeline:correct", args=[e.pk])
    data = {"happened_on": e.happened_on.isoformat(), "kind": e.kind, "category": "basic", "version": 1}
    assert client.post(url, data | {"text": "Eerste"}).status_code == 302
    response = client.post(url, data | {"text": "Tweede"})
    html = response.content.decode()
    assert response.status_code == 200 and "intussen gewijzigd" in html and "Tweede" in html
    e.refresh_from_db()
    assert e.text == "Eerste"


def test_timeline_page_query_count_is_constant(circle, logged_in, django_assert_max_num_queries):
    from apps.timeline.models import TimelineEntry as TE

    client = logged_in(circle.teacher)
    url = reverse("timeline:child", args=[circle.child.pk])
    day = circle.child.date_of_birth + timedelta(days=10)

    def fill(n):
        TE.objects.bulk_create(
            TE(child=circle.child, kind=Kind.SCHOOL, happened_on=day + timedelta(days=i), text=f"r{i}",
               category="development", author=circle.ib)
            for i in range(n)
        )  # fmt: skip

    fill(5)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill(300)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.content.decode().count('class="entry ') == 50


def test_pdf_for_case_discussion(circle, logged_in):
    entry(circle, kind=Kind.STRENGTH, text="Goed in voetbal")
    response = reauthenticated(logged_in(circle.ib)).get(reverse("timeline:pdf", args=[circle.child.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(actor_id=circle.ib.pk, action="export", allowed=True).exists()


def test_worker_cannot_open_a_health_entry_and_one_log_line_per_view(circle, logged_in):
    health = entry(circle, user=circle.ib, category="health", text="Ziekenhuis")
    support = entry(circle, user=circle.ib, kind=Kind.SUPPORT, category="support", text="Hulp")
    client = logged_in(circle.worker)
    assert client.get(reverse("timeline:correct", args=[health.pk])).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.worker.pk, allowed=False, category="health").exists()
    before = AccessLogEntry.objects.filter(actor_id=circle.worker.pk).count()
    html = client.get(reverse("timeline:correct", args=[support.pk])).content.decode()
    assert "Hulp" in html and "Alleen wie deze regel schreef" in html
    assert AccessLogEntry.objects.filter(actor_id=circle.worker.pk).count() == before + 1


def test_history_hides_an_earlier_version_in_a_category_the_reader_may_not_see(circle, logged_in):
    e = entry(circle, user=circle.ib, kind=Kind.SUPPORT, category="health", text="Diagnose ADHD")
    correct_entry(
        web(circle.ib), e, expected_version=1, kind=Kind.SUPPORT, happened_on=e.happened_on, ends_on=None,
        text="Start begeleiding", category="support",
    )  # fmt: skip
    html = logged_in(circle.worker).get(reverse("timeline:correct", args=[e.pk])).content.decode()
    assert "Start begeleiding" in html and "Diagnose ADHD" not in html
    html = logged_in(circle.teacher).get(reverse("timeline:correct", args=[e.pk])).content.decode()
    assert "Diagnose ADHD" in html


def test_guardian_without_authority_reads_but_cannot_add(circle, logged_in):
    client = logged_in(circle.father)
    url = reverse("timeline:child", args=[circle.child.pk])
    html = client.get(url).content.decode()
    assert "Iets toevoegen aan de tijdlijn" not in html
    data = {"happened_on": timezone.localdate().isoformat(), "kind": "strength", "text": "x", "category": "basic"}
    assert client.post(url, data).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.father.pk, allowed=False, action="create").exists()
    assert not TimelineEntry.objects.exists()
