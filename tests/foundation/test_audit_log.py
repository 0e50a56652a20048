"""The access log: append-only, hash-chained, verifiable, readable for the family in plain Dutch."""

import pytest
from django.core.management import call_command

from apps.access.policy import Action, authorize
from apps.audit.describe import describe
from apps.audit.log import Actor, verify_chain
from apps.audit.models import AccessLogEntry, AppendOnlyError
from apps.consent import services as consent_services
from apps.organisations.models import Role
from tests.factories import CareOrganisationFactory, ChildFactory, GuardianshipFactory, circle_member, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_child():
    child = ChildFactory()
    guardian = GuardianshipFactory(child=child).user
    for _ in range(5):
        authorize(Actor(user=guardian), Action.VIEW, child, label="de kindpagina")
    return child, guardian


def test_entries_cannot_be_changed_or_deleted(logged_child):
    entry = AccessLogEntry.objects.first()
    entry.actor_name = "iemand anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(actor_name="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()


def test_chain_verifies(logged_child):
    """Changing, removing and cutting off entries: tests/foundation/test_audit_tamper.py."""
    result = verify_chain()
    assert result.ok and result.checked == 5 and result.broken_at is None
    assert set(AccessLogEntry.objects.values_list("scheme", flat=True)) == {4}  # keyed, per child, NEN 7513
    child, _guardian = logged_child
    assert list(AccessLogEntry.objects.order_by("pk").values_list("chain", "seq")) == [
        (f"child:{child.pk}", n) for n in range(1, 6)
    ]
    call_command("verify_audit_chain")


def test_family_reads_the_log_in_plain_dutch():
    child = ChildFactory()
    guardian = GuardianshipFactory(child=child).user
    cjg = CareOrganisationFactory(name="CJG Rivierstad")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg)
    worker.full_name = "Maria de Vries"
    worker.save()
    circle_member(child, worker, "CJG", organisation=cjg)
    consent_services.request_consent(
        child=child, by=guardian, organisation=cjg, categories=["support"], starts_on=child.created_at.date()
    )
    authorize(Actor(user=worker), Action.VIEW, child, "support", label="het plan")
    text = describe(AccessLogEntry.objects.order_by("-pk").first())
    assert text.startswith("Maria de Vries, jeugdhulpverlener bij CJG Rivierstad, bekeek het plan, ")
    assert "met de toestemming aan CJG Rivierstad voor ondersteuning en plan van " in text
    with pytest.raises(Exception):  # noqa: B017
        authorize(Actor(user=worker), Action.VIEW, child, "health", label="de gezondheidsgegevens")
    refused = describe(AccessLogEntry.objects.order_by("-pk").first())
    assert "probeerde de gezondheidsgegevens te bekijken, " in refused
    assert refused.endswith("Dat mocht niet en is tegengehouden: er is niets getoond.")


def test_log_page_shows_views_and_refusals_to_guardian_not_to_staff(client, logged_child):
    child, guardian = logged_child
    client.force_login(guardian)
    response = client.get(f"/kinderen/{child.pk}/logboek/?eigen=tonen")  # the family's own views: on request
    assert response.status_code == 200
    assert "bekeek de kindpagina" in response.content.decode()
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group])
    teacher.is_demo = True
    teacher.save()
    client.force_login(teacher)
    from django.test import override_settings

    with override_settings(DEMO_SKIP_TWO_FACTOR=True):
        assert client.get(f"/kinderen/{child.pk}/logboek/").status_code == 403
    assert AccessLogEntry.objects.filter(child=child, actor=teacher, allowed=False).exists()


def test_log_is_stored_in_dutch_and_read_in_the_readers_language(client, settings):
    """An English-speaking professional's visit is kept in Dutch; an English-reading parent sees English."""
    from django.utils import translation

    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory()
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group])
    teacher.is_demo = True
    teacher.save()
    client.force_login(teacher)
    assert client.get(f"/kinderen/{child.pk}/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    entry = AccessLogEntry.objects.filter(actor=teacher).latest("pk")
    assert entry.object_label == "de kindpagina met de kring"
    assert entry.actor_role == "leerkracht"
    with translation.override("nl"):
        assert "bekeek de kindpagina met de kring" in describe(entry)
    with translation.override("en"):
        english = describe(entry)
    assert "viewed" in english and "de kindpagina" not in english and "teacher" in english


def test_the_family_checks_its_own_childs_chain(client, logged_child, caplog):
    """ "Keten gecontroleerd" on the log page and in the API; a broken chain shows and alerts the operator."""
    from django.db import connection
    from django.urls import reverse

    from apps.audit import anchors, guards

    child, guardian = logged_child
    other = ChildFactory()
    authorize(Actor(user=GuardianshipFactory(child=other).user), Action.VIEW, other, label="de kindpagina")
    client.force_login(guardian)
    url = reverse("audit:child_log", args=[child.pk])
    page = client.get(url).content.decode()
    assert "?controleer=1" in page and "Keten gecontroleerd" not in page  # only on request: it walks the chain
    page = client.get(url + "?controleer=1").content.decode()
    assert "Keten gecontroleerd" in page and "eerste verankering" in page  # no anchor yet
    anchors.anchor_head()
    page = client.get(url + "?controleer=1").content.decode()
    assert "Keten gecontroleerd" in page and "eerste verankering" not in page
    api = f"/api/v1/children/{child.pk}/access-log/check/"
    assert client.get(api).json() == {"intact": True, "anchored": True}

    guards.remove(connection)  # someone with the owner's rights cuts the newest entries of the other child
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {guards.TABLE} WHERE child_id = %s", [other.pk])
    finally:
        guards.install(connection)
    assert client.get(api).json()["intact"] is True  # this child's own chain is whole ...
    guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {guards.TABLE} WHERE id = (SELECT MIN(id) FROM {guards.TABLE} WHERE child_id = %s)",
                [child.pk],
            )
    finally:
        guards.install(connection)
    page = client.get(url + "?controleer=1").content.decode()
    assert "De controle van de keten is mislukt" in page  # ... until its own is touched
    assert client.get(api).json()["intact"] is False
    assert any(getattr(r, "event", None) == "audit_chain_broken" for r in caplog.records)


def test_a_stranger_may_not_check_a_childs_chain_and_is_logged(client, logged_child):
    child, _guardian = logged_child
    stranger = GuardianshipFactory(child=ChildFactory()).user
    client.force_login(stranger)
    before = AccessLogEntry.objects.filter(child=child).count()
    assert client.get(f"/api/v1/children/{child.pk}/access-log/check/").status_code in (403, 404)
    refused = AccessLogEntry.objects.filter(child=child).order_by("-pk").first()
    assert AccessLogEntry.objects.filter(child=child).count() == before + 1
    assert not refused.allowed and refused.actor_id == stranger.pk
