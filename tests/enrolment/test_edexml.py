"""EDEXML 2.1: what is read, what is never read, and unsafe or wrong files refused before anything changes."""

import pytest
from django.utils import timezone

from apps.circles.models import Child
from apps.enrolment import sync
from apps.enrolment.parsers import edexml
from apps.enrolment.parsers.records import UnreadableFile
from apps.organisations.models import Group, Membership

from .conftest import file_bytes

pytestmark = pytest.mark.django_db


def test_the_sample_file_reads_school_groups_pupils_and_teachers():
    data = edexml.parse(file_bytes("school.xml"))
    assert (data.school_year, data.brin, data.vestiging) == ("2026-2027", "99ZZ", "00")
    assert {g.key for g in data.groups} == {"G3", "G5", "G78", "PLUS"}
    assert [g.composite for g in data.groups if g.key == "PLUS"] == [True]
    daan = next(p for p in data.pupils if p.key == "1002")
    assert (daan.first_name, daan.full_last_name, daan.group_key) == ("Daan", "van den Berg", "G3")
    zofia = next(p for p in data.pupils if p.key == "1003")
    assert zofia.extra_group_keys == ["PLUS"]
    ruben = next(t for t in data.staff if t.key == "T2")
    assert ruben.full_name == "Ruben van Dijk" and ruben.group_keys == ["G5", "G78", "PLUS"]
    assert data.errors == []


def test_a_file_without_namespace_reads_the_same():
    content = file_bytes("school.xml").replace(b' xmlns="http://www.edustandaard.nl/edex/schemas/edexml-2.1"', b"")
    assert len(edexml.parse(content).pupils) == 6


def test_neither_bsn_nor_eck_id_reaches_the_database(school, admin):
    content = file_bytes("school.xml")
    assert b"bsn_ondwnr-4" in content and b"ketenid.nl" in content
    p = sync.plan(school, edexml.parse(content), today=timezone.localdate())
    sync.apply(p, by=admin, today=timezone.localdate())
    assert Child.objects.filter(school=school).count() == 6
    from django.db import connection

    # Every value in every table (compared whole, so a timestamp's digits never match by chance).
    values = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            values |= {str(v) for row in cursor.fetchall() for v in row if v is not None}
    assert "9999" not in values  # bsn_ondwnr-4 is never a stored value
    eck = "https://ketenid.nl/201703/" + "0" * 63 + "1"
    assert not [v for v in values if eck in v]  # the file's ECK iD is stored nowhere


def test_an_external_entity_is_refused():
    xxe = b"""<?xml version="1.0"?><!DOCTYPE EDEX [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<EDEX><school><brincode>99ZZ</brincode></school><leerlingen><leerling key="1"><achternaam>&x;</achternaam>
</leerling></leerlingen></EDEX>"""
    with pytest.raises(UnreadableFile, match="DTD of entiteiten"):
        edexml.parse(xxe)


def test_a_billion_laughs_payload_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    bomb += b"".join(
        f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">'.encode() for i in range(1, 10)
    )
    bomb += b"]><EDEX><school><brincode>99ZZ</brincode></school>&lol9;</EDEX>"
    with pytest.raises(UnreadableFile, match="DTD of entiteiten"):
        edexml.parse(bomb)


def test_xml_that_is_not_edexml_is_refused():
    with pytest.raises(UnreadableFile, match="geen EDEXML"):
        edexml.parse(b"<?xml version='1.0'?><rss><channel/></rss>")
    with pytest.raises(UnreadableFile, match="klopt niet met EDEXML 2.1"):
        edexml.parse(b"<EDEX><leerlingen/></EDEX>")


def test_a_date_that_does_not_exist_is_a_dutch_error_with_its_line():
    content = file_bytes("school.xml").replace(b"2017-02-28", b"31-02-2016")
    data = edexml.parse(content)
    [error] = data.errors
    assert str(error).startswith("regel ") and str(error).endswith("geboortedatum 31-02-2016 bestaat niet")


def test_a_file_of_another_school_is_refused_and_changes_nothing(other_school):
    with pytest.raises(UnreadableFile, match="hoort bij school 99ZZ"):
        sync.plan(other_school, edexml.parse(file_bytes("school.xml")), today=timezone.localdate())
    assert not Group.objects.filter(school=other_school).exists()


def test_a_pupil_in_a_group_that_does_not_exist_and_duplicate_keys_are_row_errors(school):
    content = file_bytes("school.xml").replace(
        b'<groep key="G3"/>\n    </leerling>', b'<groep key="G9"/>\n    </leerling>'
    )
    content = content.replace(b'leerling key="1004"', b'leerling key="1003"')
    p = sync.plan(school, edexml.parse(content), today=timezone.localdate())
    messages = [str(e) for e in p.errors]
    assert any("groep G9 bestaat niet in dit bestand" in m for m in messages)
    assert any("leerlingnummer 1003 staat twee keer in het bestand" in m for m in messages)


def test_teachers_are_linked_to_their_groups(school, admin):
    p = sync.plan(school, edexml.parse(file_bytes("school.xml")), today=timezone.localdate())
    sync.apply(p, by=admin, today=timezone.localdate())
    ruben = Membership.objects.get(school=school, source_key="T2")
    assert ruben.user.email == "r.vandijk@nieuwe-linde.example" and ruben.role == "teacher"
    assert {g.name for g in ruben.groups.all()} == {"Groep 5", "Groep 7/8", "Plusklas"}
    assert not ruben.user.has_usable_password()
