"""Each person's language (issue 13 items 1 and 3, docs/languages.md): kept on the account, chosen at first
log-in, used for the pages, the notifications (rendered when read), the e-mails and the access log; Django's
own messages in the person's language; interpreters for conversations."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from apps.access.policy import AccessDenied, Action, authorize
from apps.accounts.languages import language_of, normalise
from apps.accounts.models import User
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent.models import Category
from apps.conversations import services as conversations
from apps.conversations.models import Participant
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.notifications.texts import Text
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff, years_ago

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def circle(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory()
    teacher = staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory(is_demo=True))
    child = ChildFactory(group=group, date_of_birth=years_ago(8))
    mother = GuardianshipFactory(child=child, user=UserFactory(language="en")).user
    father = GuardianshipFactory(child=child, relation="father", user=UserFactory(language="nl")).user
    return {"teacher": teacher, "child": child, "mother": mother, "father": father}


def _plan(circle, **kwargs):
    return conversations.plan_conversation(
        Actor(circle["teacher"]), circle["child"], kind="progress", purpose="Lezen en rekenen",
        starts_at=timezone.now() + timedelta(days=3), place="Lokaal 5",
        participants=[circle["mother"], circle["father"]], **kwargs,
    )  # fmt: skip


# --- the code and the fallback ----------------------------------------------------------------------------------


def test_an_unknown_language_code_falls_back_to_dutch_and_says_so():
    assert normalise("en-GB") == ("en", False)
    assert normalise("AR") == ("ar", False)
    assert normalise("de") == ("nl", True)
    assert normalise("") == ("nl", False)
    assert language_of(User(language="xx")) == "nl"


# --- Django's own messages ----------------------------------------------------------------------------------------


def _password_errors(code: str) -> list[str]:
    with translation.override(code), pytest.raises(ValidationError) as e:
        validate_password("12345", User(email="kim@example.org", full_name="Kim Postma"))
    return e.value.messages


def test_password_errors_in_the_dutch_interface_are_all_dutch():
    messages = _password_errors("nl")
    assert any("te kort" in m and "12" in m for m in messages), messages
    assert not any("password" in m.lower() or "character" in m for m in messages), messages


def test_the_too_short_password_error_is_translated_in_every_offered_language(settings):
    english = "This password is too short"
    for code, _name in settings.LANGUAGES:
        messages = _password_errors(code)
        if code == "en":
            assert any(english in m for m in messages)
        else:
            assert not any(english in m for m in messages), (code, messages)


def test_a_refusal_reads_in_the_english_interface_and_the_log_stays_dutch():
    guardian = GuardianshipFactory().user
    other = ChildFactory()
    with translation.override("en"), pytest.raises(AccessDenied) as e:
        authorize(Actor(guardian), Action.VIEW, other, Category.BASIC)
    assert "circle" in str(e.value) and "kring" not in str(e.value)
    entry = AccessLogEntry.objects.filter(actor_id=guardian.pk, allowed=False).latest("pk")
    assert "kring" in entry.basis


# --- the choice at first log-in, kept on the account ---------------------------------------------------------------


def test_first_log_in_asks_for_the_language_in_each_languages_own_name(client):
    user = GuardianshipFactory(user=UserFactory(language="")).user
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/taal/")
    page = client.get(response["Location"]).content.decode()
    for code, name in (("ar", "العربية"), ("tr", "Türkçe"), ("pl", "Polski"), ("uk", "Українська")):
        assert f'lang="{code}"' in page and name in page
    assert 'lang="ar" dir="rtl"' in page
    response = client.post("/taal/", {"language": "en", "interpreter": "ja", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    assert (user.language, user.interpreter_wanted) == ("en", True)
    assert "My children" in client.get("/").content.decode()


def test_accepting_the_invite_is_the_first_log_in_and_asks_for_the_language(client):
    from apps.accounts.services import create_invite

    child = ChildFactory()
    school_person = UserFactory()
    _inv, link = create_invite(by=school_person, email="nieuw@example.org", children=[child])
    path = link.split("://", 1)[-1].split("/", 1)[1]
    page = client.get(f"/{path}").content.decode()
    assert "العربية" in page and "Українська" in page
    response = client.post(
        f"/{path}", {"full_name": "Amal Haddad", "password1": "Zonnebloem-tuin-42", "password2": "Zonnebloem-tuin-42",
                     "language": "ar"},
    )  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(email="nieuw@example.org").language == "ar"


def test_the_account_language_wins_over_the_browser_and_an_unknown_one_falls_back_with_a_note(client):
    user = GuardianshipFactory(user=UserFactory(language="en")).user
    client.force_login(user)
    assert "My children" in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    response = client.post("/taal/", {"language": "de"}, follow=True)
    user.refresh_from_db()
    assert user.language == "nl"
    assert "Die taal bieden wij (nog) niet aan" in response.content.decode()


def test_the_footer_switch_keeps_the_choice_on_the_account(client):
    user = GuardianshipFactory().user
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    user.refresh_from_db()
    assert user.language == "pl"


def test_the_access_log_sentences_follow_the_account_language(client):
    guardianship = GuardianshipFactory(user=UserFactory(language="en"))
    client.force_login(guardianship.user)
    client.get(f"/kinderen/{guardianship.child.pk}/")
    page = client.get(f"/kinderen/{guardianship.child.pk}/logboek/?eigen=tonen").content.decode()
    assert " viewed " in page and " bekeek " not in page


# --- notifications and e-mails in the reader's language -----------------------------------------------------


def test_a_notification_is_kept_as_a_key_and_rendered_when_read():
    user = UserFactory(language="en")
    when = timezone.now()
    note = notify(
        user,
        "probe",
        Text(gettext_noop("Nieuw bericht van %(author)s over %(child)s."), author="Jan", child="Sara"),
    )
    note.refresh_from_db()
    assert note.message == "Nieuw bericht van %(author)s over %(child)s." and note.params["child"] == "Sara"
    assert note.text == "Nieuw bericht van Jan over Sara."  # the Dutch sentence, kept beside the key
    with translation.override("en"):
        assert note.display_text == "New message from Jan about Sara."
    assert when <= note.created_at


def test_invitations_reach_two_guardians_each_in_their_own_language(
    circle, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _plan(circle)
    to_mother = next(m for m in mailoutbox if circle["mother"].email in m.to)
    to_father = next(m for m in mailoutbox if circle["father"].email in m.to)
    assert to_mother.subject.startswith("Invitation") and "Purpose: Lezen en rekenen" in to_mother.body
    assert "Uitnodiging" not in to_mother.body
    assert to_father.subject.startswith("Uitnodiging") and "Doel: Lezen en rekenen" in to_father.body
    # The notification itself: the same stored row reads in whoever reads it's language.
    client.force_login(circle["mother"])
    inbox = client.get("/meldingen/").content.decode()
    assert "Invitation: progress conversation" in inbox and "Uitnodiging:" not in inbox
    client.force_login(circle["father"])
    inbox = client.get("/meldingen/").content.decode()
    assert "Uitnodiging: voortgangsgesprek" in inbox
    circle["father"].language = "en"
    circle["father"].save(update_fields=["language"])
    assert "Invitation: progress conversation" in client.get("/meldingen/").content.decode()


# --- interpreters ---------------------------------------------------------------------------------------------------


def test_the_school_sees_each_guardians_language_and_books_an_interpreter_with_a_reminder(circle, client):
    circle["mother"].language, circle["mother"].interpreter_wanted = "ar", True
    circle["mother"].save(update_fields=["language", "interpreter_wanted"])
    client.force_login(circle["teacher"])
    new = client.get(f"/gesprekken/nieuw/{circle['child'].pk}/").content.decode()
    assert "العربية" in new and "wil een tolk" in new
    conversation = _plan(circle)
    detail = client.get(f"/gesprekken/{conversation.pk}/").content.decode()
    assert "Taal van de ouders" in detail and "wil een tolk" in detail
    assert '<option value="ar" selected>' in detail  # the suggested language
    response = client.post(f"/gesprekken/{conversation.pk}/tolk/", {"name": "Tolkenbureau Noord", "language": "ar"})
    assert response.status_code == 302
    seat = conversation.participants.get(kind=Participant.Kind.INTERPRETER)
    assert (seat.name, seat.language, seat.user_id) == ("Tolkenbureau Noord", "ar", None)
    assert Notification.objects.filter(user=circle["mother"], key__startswith="conversation-interpreter:").exists()
    # The day before: the organiser is reminded of the interpreter (who has no account).
    conversations.send_reminders(today=timezone.localdate(conversation.starts_at) - timedelta(days=1))
    reminder = Notification.objects.get(user=circle["teacher"], key__startswith="conversation-interpreter-reminder:")
    assert "Tolkenbureau Noord" in reminder.display_text and "العربية" in reminder.display_text


def test_an_interpreter_needs_a_name_and_a_language_and_a_parent_cannot_book_one(circle, client):
    conversation = _plan(circle)
    with pytest.raises(ValidationError) as e:
        conversations.book_interpreter(Actor(circle["teacher"]), conversation, name=" ", language="xx")
    assert set(e.value.message_dict) == {"name", "language"}
    client.force_login(circle["father"])
    response = client.post(f"/gesprekken/{conversation.pk}/tolk/", {"name": "Iemand", "language": "tr"})
    assert response.status_code == 403
    assert not conversation.participants.filter(kind=Participant.Kind.INTERPRETER).exists()


# --- the API ----------------------------------------------------------------------------------------------------------


def test_the_api_reads_and_sets_the_persons_language_and_interpreter_need(client):
    user = UserFactory(language="tr")
    client.force_login(user)
    me = client.get("/api/v1/me/").json()
    assert (me["language"], me["language_name"], me["interpreter_wanted"]) == ("tr", "Türkçe", False)
    assert me["languages"]["uk"] == "Українська"
    changed = client.patch(
        "/api/v1/me/", {"language": "uk", "interpreter_wanted": True}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["language"] == "uk"
    fallback = client.patch("/api/v1/me/", {"language": "de"}, content_type="application/json").json()
    assert fallback["language"] == "nl" and fallback["note"]
    user.refresh_from_db()
    assert (user.language, user.interpreter_wanted) == ("nl", True)
