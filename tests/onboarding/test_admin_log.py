"""The admin log: every admin action recorded once, read by the platform, the board and the school, never changed."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from apps.notifications.models import OutgoingMail
from apps.organisations import services
from apps.organisations.models import AdminLogEntry, AppendOnlyError, CareOrganisation

from .conftest import security_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(world, platform_admin):
    """One action at each place: the school, the other school, a care organisation."""
    services.change_school(
        by=platform_admin,
        school=world["school"],
        board=world["board"],
        name="De Wegwijzer",
        brin="12AB",
        vestiging="00",
        city="Rivierstad",
    )
    services.change_school(
        by=platform_admin, school=world["other"], board=None, name="De Horizon", brin="34CD", vestiging="00", city="X"
    )
    services.create_organisation(by=platform_admin, name="Wijkteam Oost", kind=CareOrganisation.Kind.WIJKTEAM)
    return world


def _descriptions(client, user) -> list[str]:
    client.force_login(user)
    response = client.get("/api/v1/admin-log/")
    assert response.status_code == 200
    return [row["description"] for row in response.json()["results"]]


def test_the_platform_admin_reads_everything(client, platform_admin, actions):
    seen = _descriptions(client, platform_admin)
    assert len(seen) == 3 and "Organisatie Wijkteam Oost (Wijkteam) aangemaakt." in seen


def test_the_board_reads_its_schools_and_the_school_reads_only_its_own(client, actions):
    board_seen = _descriptions(client, actions["board_admin"])
    assert board_seen == ["School De Wegwijzer gewijzigd (BRIN 12AB-00, Rivierstad)."]
    assert _descriptions(client, actions["admin"]) == board_seen
    other_seen = _descriptions(client, actions["other_admin"])
    assert other_seen == ["School De Horizon gewijzigd (BRIN 34CD-00, X)."]


def test_the_page_shows_the_same_part_of_the_log_as_the_api(client, actions):
    client.force_login(actions["admin"])
    page = client.get("/organisatie/beheerlog/").content.decode()
    assert "School De Wegwijzer gewijzigd" in page and "De Horizon" not in page and "Wijkteam" not in page


@pytest.mark.parametrize("who", ["teacher", "guardian"])
def test_people_without_an_admin_role_cannot_read_the_log_and_are_logged(client, actions, caplog, who):
    from tests.factories import GuardianshipFactory

    user = GuardianshipFactory(child=actions["child"]).user if who == "guardian" else actions[who]
    client.force_login(user)
    assert client.get("/organisatie/beheerlog/").status_code == 403
    assert client.get("/api/v1/admin-log/").status_code == 403
    assert len(security_events(caplog, "admin_refused")) == 2


def test_entries_cannot_be_changed_or_deleted(actions):
    entry = AdminLogEntry.objects.first()
    entry.description = "iets anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AdminLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AdminLogEntry.objects.update(description="weg")


def test_an_action_in_the_django_admin_lands_in_the_admin_log_without_the_records_text(platform_admin):
    mail = OutgoingMail.objects.create(subject="Geheim onderwerp over Fenna", body="x", to=["a@b.example"])
    LogEntry.objects.log_actions(
        user_id=platform_admin.pk, queryset=[mail], action_flag=ADDITION, change_message="", single_object=True
    )
    entry = AdminLogEntry.objects.get(action="django_admin")
    assert entry.actor == platform_admin and entry.object_id == str(mail.pk)
    assert entry.description.startswith("Via /beheer/:") and "Fenna" not in entry.description


def test_the_log_is_paginated(client, platform_admin):
    for n in range(60):
        services.create_board(by=platform_admin, name=f"Bestuur {n}")
    client.force_login(platform_admin)
    assert "Pagina 1 van 3" in client.get("/organisatie/beheerlog/").content.decode()
    body = client.get("/api/v1/admin-log/").json()
    assert body["count"] == 60 and len(body["results"]) == 50 and body["next"]


def test_the_admin_log_endpoint_is_in_the_openapi_schema(client, platform_admin):
    client.force_login(platform_admin)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/admin-log/" in schema
