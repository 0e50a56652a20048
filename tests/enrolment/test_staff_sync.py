"""Re-import removes teachers who are gone from an EDEXML's leerkrachten block (issue 9 item 6): through
organisations.services.remove_staff, never a child's coordinator (that needs a handover by hand)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.circles.models import Child, CircleMember
from apps.enrolment import services
from apps.enrolment.models import ImportRun
from apps.organisations import services as organisations
from apps.organisations.models import Membership, Role
from tests.factories import circle_member

from .conftest import file_bytes

pytestmark = pytest.mark.django_db


def _import(school, admin, content: bytes) -> ImportRun:
    run = services.start_import(user=admin, school=school, file_name="school.xml", content=content)
    return services.confirm(user=admin, run=run)


def _without(content: bytes, *keys: str) -> bytes:
    for key in keys:
        start = content.index(f'<leerkracht key="{key}">'.encode())
        end = content.index(b"</leerkracht>", start) + len(b"</leerkracht>")
        content = content[:start] + content[end:]
    return content


def _teacher(key: str) -> Membership:
    return Membership.objects.select_related("user").get(role=Role.TEACHER, source_key=key)


@pytest.fixture
def imported(school, admin):
    run = _import(school, admin, file_bytes("school.xml"))
    assert run.status == ImportRun.Status.APPLIED, run.error
    return run


def test_a_teacher_gone_from_the_file_is_removed_and_leaves_the_circles(school, admin, imported):
    ruben = _teacher("T2")
    child = Child.objects.get(las_key="1001")
    row = circle_member(child, ruben.user, role="leerkracht", school=school)
    run = _import(school, admin, _without(file_bytes("school.xml"), "T2"))
    assert run.status == ImportRun.Status.APPLIED, run.error
    assert run.result["counts"]["staff"]["removed"] == 1
    ruben.refresh_from_db()
    assert not ruben.active and ruben.ended_at is not None
    row.refresh_from_db()
    assert row.until == timezone.localdate()
    assert _teacher("T1").active


def test_the_preview_counts_the_teacher_but_changes_nothing(school, admin, imported):
    run = services.start_import(
        user=admin, school=school, file_name="school.xml", content=_without(file_bytes("school.xml"), "T2")
    )
    assert run.summary["counts"]["staff"]["removed"] == 1
    assert _teacher("T2").active


def test_a_coordinator_is_kept_and_listed_for_a_handover_by_hand(school, admin, imported):
    anouk = _teacher("T1")
    circle_member(Child.objects.get(las_key="1001"), anouk.user, role="leerkracht", school=school, coordinator=True)
    run = _import(school, admin, _without(file_bytes("school.xml"), "T1", "T2"))
    assert run.status == ImportRun.Status.APPLIED, run.error
    assert run.result["counts"]["staff"]["removed"] == 1
    assert run.result["staff_handover"] == [anouk.user.full_name]
    assert any("Medewerkers" in w and anouk.user.full_name in w for w in run.result["warnings"])
    assert _teacher("T1").active and not _teacher("T2").active
    assert CircleMember.objects.current().filter(user=anouk.user, is_coordinator=True).exists()


def test_an_edexml_without_a_leerkrachten_block_removes_nobody(school, admin, imported):
    content = file_bytes("school.xml")
    start, end = content.index(b"<leerkrachten>"), content.index(b"</leerkrachten>") + len(b"</leerkrachten>")
    run = _import(school, admin, content[:start] + content[end:])
    assert run.status == ImportRun.Status.APPLIED, run.error
    assert run.result["counts"]["staff"]["removed"] == 0
    assert _teacher("T1").active and _teacher("T2").active


def test_a_refused_removal_keeps_the_teacher_and_does_not_fail_the_import(school, admin, imported, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Dit is de laatste beheerder.")

    monkeypatch.setattr(organisations, "remove_staff", refuse)
    run = _import(school, admin, _without(file_bytes("school.xml"), "T2"))
    assert run.status == ImportRun.Status.APPLIED, run.error
    assert run.result["counts"]["staff"]["removed"] == 0
    assert any("Dit is de laatste beheerder." in w for w in run.result["warnings"])
    assert _teacher("T2").active
