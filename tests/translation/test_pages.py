"""The "Vertaal" and "Lees voor" buttons, the translation endpoints under the access policy, and the
versions schools write by hand (docs/translation.md). The server is the LibreTranslate test double."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations.models import Conversation, Kind
from apps.helpguide.models import HelpGuide, Step, StepVersion
from apps.messaging import services
from apps.messaging.models import AnnouncementVersion
from apps.translation import backends
from apps.translation.services import cache_key
from tests.factories import GroupFactory, GuardianshipFactory

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def thread(circle):
    return services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Het schoolreisje", "Neem een lunch mee."
    )


@pytest.fixture
def other_parent(circle):
    """A parent of a child in another school's class: not this family."""
    return GuardianshipFactory(child__group=GroupFactory()).user


def test_message_translated_beside_the_original_and_the_read_logged(client, circle, thread, libretranslate):
    message = thread.messages.get()
    client.force_login(circle["mother"])
    page = client.get(f"/berichten/gesprek/{thread.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = f"/berichten/bericht/{message.pk}/vertaling/"
    assert f'hx-get="{url}"' in page and "Neem een lunch mee." in page  # the button beside the original
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url + "?lang=ar", **HX)
    text = response.content.decode()
    assert response.status_code == 200
    assert "[ar] Neem een lunch mee." in text and "machinevertaling" in text and 'dir="rtl"' in text
    assert "<html" not in text  # the block only, for htmx
    entry = AccessLogEntry.objects.filter(pk__gt=before).get()
    assert (entry.actor, entry.child_id, entry.allowed, entry.action) == (
        circle["mother"],
        circle["child"].pk,
        True,
        "view",
    )
    assert message.body == thread.messages.get().body  # the original is what is stored


def test_dutch_reader_sees_no_translate_button(client, circle, thread):
    client.force_login(circle["mother"])
    page = client.get(f"/berichten/gesprek/{thread.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "/vertaling/" not in page


def test_without_javascript_the_translation_comes_on_a_page_with_the_original(client, circle, thread, libretranslate):
    message = thread.messages.get()
    client.force_login(circle["mother"])
    text = client.get(f"/berichten/bericht/{message.pk}/vertaling/?lang=tr").content.decode()
    assert "<html" in text and "Neem een lunch mee." in text and "[tr] Neem een lunch mee." in text


def test_another_family_cannot_make_it_translate_a_message(client, circle, thread, other_parent, libretranslate):
    message = thread.messages.get()
    client.force_login(other_parent)
    response = client.get(f"/berichten/bericht/{message.pk}/vertaling/?lang=ar", **HX)
    assert response.status_code == 403
    assert "lunch" not in response.content.decode()
    assert AccessLogEntry.objects.filter(actor=other_parent, child=circle["child"], allowed=False).exists()
    assert libretranslate.requests == []  # the text never went to the server
    assert client.get(f"/berichten/gesprek/{thread.pk}/vertaling/?lang=ar", **HX).status_code == 403


def test_html_in_a_translation_is_escaped(client, circle, thread, libretranslate):
    libretranslate.mode = "html"
    client.force_login(circle["mother"])
    text = client.get(f"/berichten/bericht/{thread.messages.get().pk}/vertaling/?lang=ar", **HX).content.decode()
    assert "<script>" not in text and "<b>vet</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("mode", ["off", "error", "slow"])
def test_backend_off_or_down_keeps_the_original_with_a_short_notice(
    client, circle, thread, libretranslate, settings, mode
):
    if mode == "off":
        settings.TRANSLATION_BACKEND = "none"
    else:
        libretranslate.mode, libretranslate.delay = mode, 3
    client.force_login(circle["mother"])
    url = f"/berichten/bericht/{thread.messages.get().pk}/vertaling/?lang=ar"
    response = client.get(url, **HX)
    assert response.status_code == 200
    assert "Vertalen lukt nu niet. U ziet de oorspronkelijke tekst." in response.content.decode()
    page = client.get(f"/berichten/gesprek/{thread.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Neem een lunch mee." in page.content.decode()  # nothing lost


def test_unsupported_language_falls_back_to_dutch_with_a_note(client, circle, thread, libretranslate):
    client.force_login(circle["mother"])
    text = client.get(f"/berichten/bericht/{thread.messages.get().pk}/vertaling/?lang=xx", **HX).content.decode()
    assert "De taal &#x27;xx&#x27; bieden we niet aan. U ziet de tekst in het Nederlands." in text
    assert libretranslate.requests == []


def test_inbox_shows_cached_subjects_without_calling_the_server(client, circle, thread, libretranslate, settings):
    from django.core.cache import caches

    caches[settings.TRANSLATION_CACHE].set(cache_key("Het schoolreisje", "nl", "en"), "The school trip")
    client.force_login(circle["mother"])
    text = client.get("/berichten/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Het schoolreisje" in text and "The school trip" in text
    assert libretranslate.requests == []


# --- announcements: hand-written versions win -----------------------------------------------------------------------


@pytest.fixture
def announcement(circle):
    return services.publish_announcement(
        circle["ib"], school=circle["school"], title="Studiedag", body="Vrijdag is er geen school."
    )


def test_school_writes_a_version_and_it_wins(client, circle, announcement, libretranslate):
    client.force_login(circle["ib"])
    response = client.post(
        f"/berichten/mededelingen/{announcement.pk}/talen/",
        {"language": "ar", "title": "يوم دراسي", "body": "لا توجد مدرسة يوم الجمعة."},
    )
    assert response.status_code == 302
    assert AnnouncementVersion.objects.get(announcement=announcement, language="ar").title == "يوم دراسي"
    client.force_login(circle["mother"])
    text = client.get(f"/berichten/mededelingen/{announcement.pk}/vertaling/?lang=ar", **HX).content.decode()
    assert "لا توجد مدرسة يوم الجمعة." in text and "vertaald door de school" in text and "machinevertaling" not in text
    page = client.get(f"/berichten/mededelingen/{announcement.pk}/?lang=ar").content.decode()
    assert (
        page.index("يوم دراسي")
        < page.index("Oorspronkelijke tekst (Nederlands)")
        < page.index("Vrijdag is er geen school.")
    )
    assert libretranslate.requests == []  # no machine translation needed
    other = client.get(f"/berichten/mededelingen/{announcement.pk}/vertaling/?lang=tr", **HX).content.decode()
    assert "[tr] Vrijdag is er geen school." in other and "machinevertaling" in other


def test_a_parent_cannot_write_a_version(client, circle, announcement):
    client.force_login(circle["mother"])
    response = client.post(
        f"/berichten/mededelingen/{announcement.pk}/talen/", {"language": "ar", "title": "x", "body": "y"}
    )
    assert response.status_code == 404
    assert not AnnouncementVersion.objects.exists()


def test_a_version_in_a_language_we_do_not_offer_is_refused(client, circle, announcement):
    client.force_login(circle["ib"])
    response = client.post(
        f"/berichten/mededelingen/{announcement.pk}/talen/", {"language": "xx", "title": "x", "body": "y"}
    )
    assert response.status_code == 200 and not AnnouncementVersion.objects.exists()


def test_announcement_of_another_school_is_not_translated(client, announcement, other_parent, libretranslate):
    client.force_login(other_parent)
    assert client.get(f"/berichten/mededelingen/{announcement.pk}/vertaling/?lang=ar", **HX).status_code == 404
    assert libretranslate.requests == []


def test_read_aloud_button_without_inline_script(client, circle, announcement):
    client.force_login(circle["mother"])
    response = client.get(f"/berichten/mededelingen/{announcement.pk}/")
    text = response.content.decode()
    assert 'data-read-aloud="announcement-text"' in text and "hidden>" in text  # shown by the script only
    assert text.count("js/read-aloud.js") == 1
    nonce = response.wsgi_request.csp_nonce
    assert f'src="/static/js/read-aloud.js" defer nonce="{nonce}"' in text
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]


# --- the help guide ------------------------------------------------------------------------------------------------


@pytest.fixture
def step(circle):
    guide = HelpGuide.objects.create(school=circle["school"])
    return Step.objects.create(
        guide=guide, title="Praat met de leerkracht", role="leerkracht", description="Na school."
    )


def test_step_translated_and_version_first(client, circle, step, libretranslate):
    client.force_login(circle["mother"])
    text = client.get(f"/hulpwijzer/stap/{step.pk}/vertaling/?lang=pl", **HX).content.decode()
    assert "[pl] Praat met de leerkracht" in text and "[pl] Na school." in text and "machinevertaling" in text
    client.force_login(circle["ib"])
    url = f"/hulpwijzer/beheer/{circle['school'].pk}/stap/{step.pk}/talen/"
    assert (
        client.post(
            url, {"language": "pl", "title": "Porozmawiaj z nauczycielem", "description": "Po szkole."}
        ).status_code
        == 302
    )
    assert StepVersion.objects.filter(step=step, language="pl").exists()
    client.force_login(circle["mother"])
    guide = client.get("/hulpwijzer/?lang=pl").content.decode()
    assert guide.index("Porozmawiaj z nauczycielem") < guide.index("Praat met de leerkracht")
    assert 'data-read-aloud="steps"' in guide
    text = client.get(f"/hulpwijzer/stap/{step.pk}/vertaling/?lang=pl", **HX).content.decode()
    assert "Po szkole." in text and "vertaald door de school" in text


def test_step_of_another_school_is_not_translated(client, step, other_parent, libretranslate):
    client.force_login(other_parent)
    assert client.get(f"/hulpwijzer/stap/{step.pk}/vertaling/?lang=ar", **HX).status_code == 404
    assert libretranslate.requests == []


def test_a_parent_cannot_write_a_step_version(client, circle, step):
    client.force_login(circle["mother"])
    url = f"/hulpwijzer/beheer/{circle['school'].pk}/stap/{step.pk}/talen/"
    assert client.post(url, {"language": "pl", "title": "x"}).status_code == 404


# --- conversation feedback and the invitation ----------------------------------------------------------------------


@pytest.fixture
def conversation(circle):
    start = timezone.now() - timedelta(days=1)
    return Conversation.objects.create(
        child=circle["child"], kind=Kind.PROGRESS, purpose="Hoe gaat het in groep 5?", organiser=circle["teacher"],
        starts_at=start, ends_at=start + timedelta(minutes=30), feedback="Het gaat goed met lezen.",
        feedback_sent_at=timezone.now(),
    )  # fmt: skip


def test_feedback_translated_under_the_policy(client, circle, conversation, other_parent, libretranslate):
    client.force_login(circle["mother"])
    page = client.get(f"/gesprekken/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = f"/gesprekken/{conversation.pk}/terugkoppeling/vertaling/"
    assert f'hx-get="{url}"' in page and 'data-read-aloud="invitation"' in page
    text = client.get(url + "?lang=uk", **HX).content.decode()
    assert "[uk] Het gaat goed met lezen." in text
    client.force_login(other_parent)
    assert client.get(url + "?lang=uk", **HX).status_code == 403
    assert AccessLogEntry.objects.filter(actor=other_parent, child=circle["child"], allowed=False).exists()
    assert len(libretranslate.requests) == 1


def test_paused_server_answers_at_once(client, circle, thread, libretranslate):
    libretranslate.mode = "error"
    client.force_login(circle["mother"])
    url = f"/berichten/bericht/{thread.messages.get().pk}/vertaling/?lang=ar"
    client.get(url, **HX)
    client.get(url, **HX)
    assert len(libretranslate.requests) == 1  # the second reader did not wait on a failing server
    backends._paused_until.clear()


def test_translated_inbox_queries_do_not_grow_with_the_threads(client, circle, libretranslate, settings):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def threads(n, offset=0):
        for i in range(offset, offset + n):
            services.create_thread(Actor(circle["teacher"]), circle["child"], "basic", f"Onderwerp {i}", "Tekst")
            caches[settings.TRANSLATION_CACHE].set(cache_key(f"Onderwerp {i}", "nl", "en"), f"Subject {i}")

    settings.MESSAGING_RATE_LIMIT = (1000, 60)
    client.force_login(circle["mother"])
    threads(1)
    client.get("/berichten/", HTTP_ACCEPT_LANGUAGE="en")  # warm the per-request bits
    with CaptureQueriesContext(connection) as one:
        assert "Subject 0" in client.get("/berichten/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    threads(6, offset=1)
    with CaptureQueriesContext(connection) as seven:
        text = client.get("/berichten/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert all(f"Subject {i}" in text for i in range(7))
    assert len(seven) == len(one)  # one cache read for the whole page
    assert libretranslate.requests == []
