"""Re-import is a sync: add, change, move, leave; the dry run changes nothing; apply is all or nothing,
in a number of queries that does not grow with the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.circles.models import Child, Guardianship
from apps.enrolment import services, sync
from apps.enrolment.models import ImportRun
from apps.enrolment.parsers import edexml
from apps.organisations.models import Group, Membership
from apps.timeline.models import TimelineEntry

from .conftest import file_bytes

pytestmark = pytest.mark.django_db


def _import(school, admin, content: bytes, name="school.xml") -> ImportRun:
    run = services.start_import(user=admin, school=school, file_name=name, content=content)
    return services.confirm(user=admin, run=run)


def _counts():
    return (
        Child.objects.count(),
        Group.objects.count(),
        Membership.objects.count(),
        Guardianship.objects.count(),
        TimelineEntry.objects.count(),
    )


def test_the_preview_changes_nothing_and_counts_what_would_change(school, admin):
    before = _counts()
    run = services.start_import(user=admin, school=school, file_name="school.xml", content=file_bytes("school.xml"))
    assert _counts() == before
    counts = run.summary["counts"]
    assert counts["pupils"]["added"] == 6 and counts["groups"]["added"] == 4 and counts["staff"]["added"] == 2
    assert run.status == ImportRun.Status.PREVIEWED and run.can_apply


def test_a_second_import_updates_names_moves_pupils_adds_newcomers_and_marks_leavers(school, admin):
    _import(school, admin, file_bytes("school.xml"))
    content = file_bytes("school.xml")
    content = content.replace(b"<roepnaam>Lotte</roepnaam>", b"<roepnaam>Lot</roepnaam>")  # 1004 changed
    content = content.replace(
        b'<jaargroep>3</jaargroep><groep key="G3"/>\n    </leerling>\n    <leerling key="1003">',
        b'<jaargroep>5</jaargroep><groep key="G5"/>\n    </leerling>\n    <leerling key="1003">',
    )
    start = content.index(b'<leerling key="1005">')
    end = content.index(b"</leerling>", start) + len(b"</leerling>")
    newcomer = b'<leerling key="1007"><achternaam>Jong</achternaam><voorvoegsel>de</voorvoegsel>'
    newcomer += b'<roepnaam>Eva</roepnaam><geboortedatum>14-05-2019</geboortedatum><groep key="G3"/></leerling>'
    content = content[:start] + newcomer + content[end:]  # 1005 gone, 1007 new
    run = _import(school, admin, content)
    assert run.status == ImportRun.Status.APPLIED, run.error
    counts = run.result["counts"]["pupils"]
    assert (counts["added"], counts["changed"], counts["moved"], counts["left"]) == (1, 1, 1, 1)
    assert Child.objects.get(las_key="1004").first_name == "Lot"
    daan = Child.objects.get(las_key="1002")
    assert daan.group.name == "Groep 5"
    assert TimelineEntry.objects.filter(child=daan, text__startswith="Nieuwe groep: Groep 5").exists()
    sem = Child.objects.get(las_key="1005")
    assert sem.left_on == timezone.localdate()  # nothing deleted, the leave date starts retention
    assert Child.objects.get(las_key="1007").last_name == "de Jong"
    assert not run.upload  # the file is gone once applied


def test_apply_rolls_back_everything_when_it_fails_in_the_middle(school, admin, monkeypatch):
    before = _counts()
    log_before = AccessLogEntry.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sync, "_apply_guardians", boom)  # after groups, staff and pupils were written
    run = _import(school, admin, file_bytes("school.xml"))
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "Er ging iets mis; er is niets veranderd."
    assert _counts() == before and AccessLogEntry.objects.count() == log_before


def test_applying_writes_an_access_log_entry_per_changed_pupil(school, admin):
    _import(school, admin, file_bytes("school.xml"))
    entries = AccessLogEntry.objects.filter(channel="import")
    assert entries.count() == 6 and {e.actor_id for e in entries} == {admin.pk}


def _school_xml(pupils: int, domain: str = "school.example") -> bytes:
    rows = "".join(
        f'<leerling key="{i}"><achternaam>Leerling{i}</achternaam><roepnaam>Kind</roepnaam>'
        f'<geboortedatum>2017-01-0{1 + i % 9}</geboortedatum><groep key="G{i % 4}"/></leerling>'
        for i in range(pupils)
    )
    groups = "".join(
        f'<groep key="G{g}"><naam>Groep {g + 3}</naam><jaargroep>{g + 3}</jaargroep></groep>' for g in range(4)
    )
    teachers = "".join(
        f'<leerkracht key="T{t}"><achternaam>Juf{t}</achternaam><emailadres>t{t}@{domain}</emailadres>'
        f'<groepen><groep key="G{t % 4}"/></groepen></leerkracht>'
        for t in range(pupils // 10)
    )
    return (
        f"<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>99ZZ</brincode></school>"
        f"<groepen>{groups}</groepen><leerlingen>{rows}</leerlingen><leerkrachten>{teachers}</leerkrachten>"
        f"</EDEX>"
    ).encode()


def _queries_to_apply(school, admin, content) -> int:
    p = sync.plan(school, edexml.parse(content), today=timezone.localdate())
    with CaptureQueriesContext(connection) as ctx:
        sync.apply(p, by=admin, today=timezone.localdate())
    return len(ctx.captured_queries)


def test_apply_does_not_grow_its_queries_with_the_number_of_rows(school, admin, other_school):
    small = _queries_to_apply(school, admin, _school_xml(20))
    school.brin = "11AA"  # free the BRIN first: BRIN + vestiging is unique
    school.save()
    other_school.brin = "99ZZ"
    other_school.save()
    large = _queries_to_apply(other_school, admin, _school_xml(200, "other.example"))
    # Ten times the rows: only the bulk writes split into more batches (SQLite takes 999 parameters a query; an
    # access-log row has 25 columns since the NEN 7513 fields and the chain, so about 39 rows go in one INSERT).
    assert large - small <= 200 // 39 + 1
    assert small <= 20
