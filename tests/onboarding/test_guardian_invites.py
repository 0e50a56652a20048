"""Issue 9 item 7: inviting the guardians of a class or a school in one step, their status, resending,
letters with a QR code and a short code, and accepting for an account the import created."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from apps.accounts import bulk
from apps.accounts import services as account_services
from apps.accounts.models import Invite, InviteBatch, User
from apps.circles.models import Guardianship
from apps.notifications.models import OutgoingMail
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
PASSWORD = "een-lang-wachtwoord-9"


def imported_guardian(child, email=None, **kwargs):
    """What the import creates: an account without a password, gezag not yet confirmed."""
    user = UserFactory(email=email or f"ouder{child.pk}-{User.objects.count()}@example.org")
    user.set_unusable_password()
    user.save()
    GuardianshipFactory(child=child, user=user, authority_status=Guardianship.Authority.UNCONFIRMED, **kwargs)
    return user


@pytest.fixture
def school(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    cache.clear()
    group, other_group = GroupFactory(), None
    other_group = GroupFactory(school=group.school)
    kids = [ChildFactory(group=group) for _ in range(3)]
    other = ChildFactory(group=other_group)
    admin = staff(Role.SCHOOL_ADMIN, school=group.school, user=UserFactory(is_demo=True))
    return {"group": group, "kids": kids, "other": other, "admin": admin, "school": group.school}


def test_inviting_a_class_invites_each_guardian_once_for_all_their_children(school, django_capture_on_commit_callbacks):
    kids = school["kids"]
    parent = imported_guardian(kids[0])
    GuardianshipFactory(child=kids[1], user=parent, authority_status=Guardianship.Authority.UNCONFIRMED)
    no_mail = imported_guardian(kids[2], email="geen-adres-7@leerling.invalid")
    imported_guardian(school["other"])  # another class: not in this batch
    GuardianshipFactory(child=kids[2])  # already active: gets nothing
    with django_capture_on_commit_callbacks(execute=True):
        batch = bulk.start_batch(by=school["admin"], school=school["school"], group=school["group"])
    batch.refresh_from_db()
    assert batch.total == 2 and batch.done == 2 and batch.finished_at and batch.percent == 100
    inv = Invite.objects.get(user=parent)
    assert set(inv.children.all()) == {kids[0], kids[1]}
    assert [m.to for m in mail.outbox] == [[parent.email]]
    letter = Invite.objects.get(user=no_mail)
    assert letter.email == "" and letter.mail is None
    assert bulk.guardian_status(no_mail, letter).key == "no_email"


def test_the_batch_page_shows_progress_and_polls_until_done(client, school):
    imported_guardian(school["kids"][0])
    client.force_login(school["admin"])
    response = client.post("/schoolbeheer/uitnodigingen/ronde/", {"groep": school["group"].pk})
    batch = InviteBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/schoolbeheer/uitnodigingen/ronde/{batch.pk}/"
    InviteBatch.objects.filter(pk=batch.pk).update(done=0, total=4, finished_at=None)
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in partial and "Bezig: 0 van 4." in partial
    InviteBatch.objects.filter(pk=batch.pk).update(done=4, finished_at=timezone.now())
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in partial and "Klaar: 4" in partial


def test_each_status_is_told_apart(school):
    kid = school["kids"][0]
    user = imported_guardian(kid)
    assert bulk.guardian_status(user, None).key == "not_invited"
    inv = bulk.invite_guardian(by=school["admin"], user=user, school=school["school"])
    assert bulk.guardian_status(user, inv).key == "queued"
    OutgoingMail.objects.filter(pk=inv.mail_id).update(status=OutgoingMail.Status.FAILED)
    inv.refresh_from_db()
    assert bulk.guardian_status(user, inv).key == "failed"
    OutgoingMail.objects.filter(pk=inv.mail_id).update(status=OutgoingMail.Status.SENT)
    inv.refresh_from_db()
    assert bulk.guardian_status(user, inv).key == "sent"
    Invite.objects.filter(pk=inv.pk).update(opened_at=timezone.now())
    inv.refresh_from_db()
    assert bulk.guardian_status(user, inv).key == "opened"
    Invite.objects.filter(pk=inv.pk).update(expires_at=timezone.now())
    inv.refresh_from_db()
    assert bulk.guardian_status(user, inv).key == "expired"


def test_opening_the_link_is_recorded_and_accepting_activates_the_imported_account(
    client, school, django_capture_on_commit_callbacks
):
    kid = school["kids"][0]
    user = imported_guardian(kid)
    with django_capture_on_commit_callbacks(execute=True):
        bulk.invite_guardian(by=school["admin"], user=user, school=school["school"])
    url = next(line for line in mail.outbox[0].body.split("\n") if "/uitnodiging/" in line)
    path = url.replace("http://testserver", "").split("://", 1)[-1]
    path = path[path.index("/uitnodiging/") :]
    assert client.get(path).status_code == 200
    assert Invite.objects.get(user=user).opened_at is not None
    response = client.post(path, {"full_name": "Ouder Een", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == "/kinderen/gezag/"  # asked about gezag first
    assert User.objects.filter(email__iexact=user.email).count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.is_active
    assert bulk.guardian_status(user, Invite.objects.get(user=user)).key == "active"


def test_resending_ends_the_old_link_and_resend_all_skips_active_accounts(client, school):
    kid = school["kids"][0]
    user = imported_guardian(kid)
    old = bulk.invite_guardian(by=school["admin"], user=user, school=school["school"])
    client.force_login(school["admin"])
    assert client.post(f"/schoolbeheer/uitnodigingen/{old.pk}/opnieuw/").status_code == 302
    old.refresh_from_db()
    assert old.is_expired and Invite.objects.filter(user=user).count() == 2
    active = GuardianshipFactory(child=kid).user
    bulk.resend_not_active(by=school["admin"], school=school["school"])
    assert not Invite.objects.filter(user=active).exists()


def test_a_letter_has_a_qr_code_and_a_short_code_that_opens_the_account_page_once(client, school, monkeypatch):
    kid = school["kids"][0]
    user = imported_guardian(kid, email="geen-adres-1@leerling.invalid")
    inv = bulk.invite_guardian(by=school["admin"], user=user, school=school["school"])
    captured = {}
    real_render = bulk.render_to_string

    def spy(template, context):
        captured.update(context)
        return real_render(template, context)

    monkeypatch.setattr(bulk, "render_to_string", spy)
    client.force_login(school["admin"])
    response = client.post("/schoolbeheer/uitnodigingen/brieven/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = captured["pages"][0]
    assert page["invite"].pk == inv.pk and "<svg" in page["qr"] and len(page["code"]) == 9
    inv.refresh_from_db()
    assert inv.short_code_hash and page["code"] not in inv.short_code_hash
    client.logout()
    typed = page["code"].lower().replace("-", " ")  # a parent types it as they like
    response = client.post("/uitnodiging/code/", {"code": typed})
    assert response.status_code == 302 and response.url.startswith("/uitnodiging/")
    assert client.get(response.url).status_code == 200
    again = client.post("/uitnodiging/code/", {"code": page["code"]})
    assert again.status_code == 400 and "klopt niet of is verlopen" in again.content.decode()


def test_guessing_codes_is_throttled(client, school):
    for _ in range(account_services.CODE_ATTEMPTS):
        assert client.post("/uitnodiging/code/", {"code": "AAAA-BBBB"}).status_code == 400
    response = client.post("/uitnodiging/code/", {"code": "AAAA-BBBB"})
    assert "te vaak een code geprobeerd" in response.content.decode()


def test_a_teacher_cannot_invite_in_bulk_or_print_letters(client, school):
    teacher = staff(Role.TEACHER, school=school["school"], groups=[school["group"]], user=UserFactory(is_demo=True))
    imported_guardian(school["kids"][0])
    client.force_login(teacher)
    assert client.post("/schoolbeheer/uitnodigingen/ronde/").status_code == 403
    assert client.post("/schoolbeheer/uitnodigingen/brieven/").status_code == 403
    assert not InviteBatch.objects.exists() and not Invite.objects.exists()


def test_a_guardian_email_that_belongs_to_a_professional_is_not_invited(school):
    kid = school["kids"][0]
    teacher = staff(Role.TEACHER, school=school["school"])
    GuardianshipFactory(child=kid, user=teacher, authority_status=Guardianship.Authority.UNCONFIRMED)
    teacher.set_unusable_password()
    teacher.save()
    bulk.run_batch(InviteBatch.objects.create(school=school["school"], created_by=school["admin"]).pk)
    assert not Invite.objects.filter(user=teacher).exists()
    with pytest.raises(Exception, match="hoort bij een medewerker"):
        account_services.invite(by=school["admin"], email=teacher.email, children=[kid])
