"""Who may import, the pages, the API and the command: the same rules and messages everywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from apps.circles.models import Child
from apps.enrolment import schoolyear, services
from apps.enrolment.models import ImportRun
from apps.organisations.models import Group, Role
from apps.timeline.models import TimelineEntry
from tests.factories import UserFactory, staff

from .conftest import file_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(school, admin, other_school, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    demo = {"is_demo": True}
    return {
        "admin": admin,
        "director": staff(Role.DIRECTOR, school=school, user=UserFactory(**demo)),
        "ib": staff(Role.IB, school=school, user=UserFactory(**demo)),
        "teacher": staff(Role.TEACHER, school=school, user=UserFactory(**demo)),
        "youth_worker": staff(Role.YOUTH_WORKER, user=UserFactory(**demo)),
        "other_admin": staff(Role.SCHOOL_ADMIN, school=other_school, user=UserFactory(**demo)),
        "platform_admin": UserFactory(is_staff=True, **demo),
    }


def _upload(client, school, name="school.xml", content=None):
    return client.post(
        f"/import/school/{school.pk}/",
        {"file": SimpleUploadedFile(name, content or file_bytes("school.xml")), "kind": ""},
    )


@pytest.mark.parametrize("who", ["admin", "director", "ib"])
def test_the_school_administration_director_and_ib_may_import(client, school, people, who):
    client.force_login(people[who])
    response = _upload(client, school)
    assert response.status_code == 302
    assert ImportRun.objects.get().status == ImportRun.Status.PREVIEWED
    page = client.get(response["Location"])
    assert "Zofia Kowalska" in page.content.decode() and "Import verwerken" in page.content.decode()
    assert Child.objects.count() == 0


@pytest.mark.parametrize("who", ["teacher", "youth_worker", "other_admin", "platform_admin"])
def test_others_may_not_import_and_the_refusal_is_logged(client, school, people, who, caplog):
    client.force_login(people[who])
    with caplog.at_level("WARNING", logger="driehoek.security"):
        response = _upload(client, school)
    assert response.status_code == 403
    assert not ImportRun.objects.exists()
    assert any(getattr(r, "event", "") == "import_denied" for r in caplog.records)


def test_a_platform_admin_sees_the_history_but_no_pupil_names(client, school, people):
    run = services.start_import(
        user=people["admin"], school=school, file_name="s.xml", content=file_bytes("school.xml")
    )
    client.force_login(people["platform_admin"])
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert "Zofia" not in page and "Kowalska" not in page and "Namen van leerlingen ziet alleen de school" in page
    api = APIClient()
    api.force_authenticate(people["platform_admin"])
    data = api.get(f"/api/v1/imports/{run.pk}/").json()
    assert "details" not in data["summary"] and "Zofia" not in str(data)
    assert api.post(f"/api/v1/imports/{run.pk}/confirm/").status_code == 403


def test_the_page_flow_confirms_and_the_history_shows_checksum_and_what_changed(client, school, people):
    client.force_login(people["admin"])
    location = _upload(client, school)["Location"]
    run = ImportRun.objects.get()
    client.post(f"/import/{run.pk}/bevestigen/", {"sure": "on"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED and Child.objects.filter(school=school).count() == 6
    history = client.get(f"/import/school/{school.pk}/").content.decode()
    assert run.checksum[:12] in history and "verwerkt" in history
    assert "Wat er veranderde" in client.get(location).content.decode()


def test_a_large_file_runs_in_the_background_with_progress_and_an_email(client, school, people, settings, mailoutbox):
    settings.IMPORT_BACKGROUND_ROWS = 0
    services.BACKGROUND_ROWS = 0
    try:
        client.force_login(people["admin"])
        _upload(client, school)
        run = ImportRun.objects.get()
        client.post(f"/import/{run.pk}/bevestigen/", {"sure": "on"})
    finally:
        services.BACKGROUND_ROWS = 500
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED and run.progress == 100
    progress = client.get(f"/import/{run.pk}/voortgang/").content.decode()
    assert 'value="100"' in progress
    from apps.notifications.models import OutgoingMail

    assert OutgoingMail.objects.filter(to=[people["admin"].email], subject__startswith="Import verwerkt").exists()


def test_unsafe_xml_is_refused_on_the_page_with_a_dutch_message(client, school, people):
    client.force_login(people["admin"])
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><EDEX>&a;</EDEX>'
    page = _upload(client, school, "bom.xml", bomb).content.decode()
    assert "DTD of entiteiten" in page and not ImportRun.objects.exists()


def test_the_api_uploads_previews_and_confirms(school, people):
    api = APIClient()
    api.force_authenticate(people["admin"])
    response = api.post(
        "/api/v1/imports/",
        {"school": school.pk, "file": SimpleUploadedFile("s.xml", file_bytes("school.xml"))},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    assert response.json()["summary"]["counts"]["pupils"]["added"] == 6
    assert Child.objects.count() == 0
    confirmed = api.post(f"/api/v1/imports/{run_id}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "applied"
    assert api.get(f"/api/v1/imports/{run_id}/").json()["progress"] == 100
    wrong = api.post(
        "/api/v1/imports/",
        {"school": school.pk, "file": SimpleUploadedFile("a.png", b"\x89PNG\x00")},
        format="multipart",
    )
    assert wrong.status_code == 400 and "geen CSV- of EDEXML-bestand" in wrong.json()["detail"][0]


def test_the_api_refuses_a_teacher(school, people):
    api = APIClient()
    api.force_authenticate(people["teacher"])
    response = api.post(
        "/api/v1/imports/",
        {"school": school.pk, "file": SimpleUploadedFile("s.xml", file_bytes("school.xml"))},
        format="multipart",
    )
    assert response.status_code == 403


def test_the_command_prints_a_dry_run_and_changes_nothing_without_apply(school, admin, tmp_path, capsys):
    path = tmp_path / "school.xml"
    path.write_bytes(file_bytes("school.xml"))
    call_command("import_school", "--school", "99ZZ", str(path))
    out = capsys.readouterr().out
    assert "leerlingen 6 nieuw" in out and "er is niets veranderd" in out
    assert Child.objects.count() == 0
    call_command("import_school", "--school", "99ZZ", str(path), "--apply")
    assert Child.objects.filter(school=school).count() == 6


def test_the_command_exits_non_zero_with_the_dutch_reason(school, admin, tmp_path, capsys):
    path = tmp_path / "fout.xml"
    path.write_bytes(file_bytes("school.xml").replace(b"2017-02-28", b"31-02-2016"))
    with pytest.raises(CommandError):
        call_command("import_school", "--school", "99ZZ", str(path), "--apply")
    assert "geboortedatum 31-02-2016 bestaat niet" in capsys.readouterr().err
    assert Child.objects.count() == 0


def test_a_new_school_year_moves_everyone_up_and_groep_8_leaves(school, admin):
    old = {
        n: Group.objects.create(school=school, name=n, year_level=int(n[-1]), school_year="2026-2027")
        for n in ("Groep 4", "Groep 8", "Groep 1/2")
    }
    kid4 = Child.objects.create(
        school=school, group=old["Groep 4"], first_name="A", last_name="B", date_of_birth="2018-01-01"
    )
    kid8 = Child.objects.create(
        school=school, group=old["Groep 8"], first_name="C", last_name="D", date_of_birth="2014-01-01"
    )
    teacher = staff(Role.TEACHER, school=school, groups=[old["Groep 4"]])
    preview = schoolyear.plan_promotion(school)
    assert preview.to_year == "2027-2028" and preview.leavers == 1
    assert Group.objects.filter(school_year="2027-2028").count() == 0  # the preview changes nothing
    schoolyear.start_new_school_year(user=admin, school=school)
    kid4.refresh_from_db()
    kid8.refresh_from_db()
    assert (kid4.group.name, kid4.group.school_year) == ("Groep 5", "2027-2028")
    assert kid8.left_on is not None
    assert Group.objects.filter(school_year="2026-2027").count() == 3  # last year's groups stay
    assert Group.objects.filter(school_year="2027-2028", name="Groep 2/3").exists()
    assert TimelineEntry.objects.filter(child=kid4, text="Nieuwe groep: Groep 5 (2027-2028)").exists()
    assert teacher.memberships.get().groups.filter(name="Groep 4", school_year="2027-2028").exists() is False
