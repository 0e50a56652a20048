"""CSV exports: encodings, delimiters, dates, the remembered mapping, guardians linked to several pupils."""

import pytest

from apps.circles.models import Child, Guardianship
from apps.enrolment import services
from apps.enrolment.models import ColumnMapping, ImportRun
from apps.enrolment.parsers import csv as csv_parser
from apps.enrolment.parsers.dates import BadDate, parse_date
from apps.enrolment.parsers.records import UnreadableFile
from apps.organisations.models import Role
from tests.factories import UserFactory, staff

from .conftest import file_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text,expected",
    [("03-04-2018", (2018, 4, 3)), ("3-4-18", (2018, 4, 3)), ("2016-06-30", (2016, 6, 30)), ("1.9.2016", (2016, 9, 1))],
)
def test_dates_are_read_in_the_formats_dutch_administrations_write(text, expected):
    assert parse_date(text).timetuple()[:3] == expected


def test_a_date_that_does_not_exist_says_so_in_dutch():
    with pytest.raises(BadDate, match="31-02-2016 bestaat niet"):
        parse_date("31-02-2016")


def test_a_windows_1252_pupils_file_is_read_with_its_mapping_and_formula_cells_stay_text(school, admin):
    run = services.start_import(
        user=admin, school=school, file_name="leerlingen.csv", content=file_bytes("pupils-parnassys-cp1252.csv")
    )
    assert run.kind == "csv_pupils" and run.status == ImportRun.Status.MAPPING  # first time: the mapping step
    assert run.mapping["date_of_birth"] == "Geboortedatum" and run.mapping["guardian_email_2"].endswith("2")
    run = services.set_mapping(user=admin, run=run, mapping=run.mapping)
    assert run.summary["counts"]["pupils"]["added"] == 4, run.summary
    run = services.confirm(user=admin, run=run)
    assert run.status == ImportRun.Status.APPLIED, run.error
    assert Child.objects.get(las_key="2001").first_name == "Chloë"
    assert Child.objects.get(las_key="2004").first_name == '=HYPERLINK("http://voorbeeld.example";"klik")'
    assert Child.objects.get(las_key="2002").last_name == "de Vries"
    assert Child.objects.get(las_key="2001").date_of_birth.isoformat() == "2018-04-03"
    assert Child.objects.get(las_key="2002").guardianships.count() == 2
    assert set(Guardianship.objects.values_list("authority_status", flat=True)) == {"unconfirmed"}
    # The next upload of this kind goes straight to the preview with the remembered mapping.
    assert ColumnMapping.objects.filter(school=school, kind="csv_pupils").exists()
    again = services.start_import(
        user=admin, school=school, file_name="leerlingen.csv", content=file_bytes("pupils-parnassys-cp1252.csv")
    )
    assert again.status == ImportRun.Status.PREVIEWED
    assert again.summary["counts"]["pupils"]["unchanged"] == 4


def test_one_guardian_is_linked_to_several_pupils_from_a_zermelo_style_file(school, admin):
    services.confirm(
        user=admin,
        run=services.start_import(user=admin, school=school, file_name="s.xml", content=file_bytes("school.xml")),
    )
    run = services.start_import(
        user=admin, school=school, file_name="ouders.csv", content=file_bytes("guardians-zermelo.csv")
    )
    assert run.kind == "csv_guardians"
    run = services.set_mapping(user=admin, run=run, mapping=run.mapping)
    assert run.summary["counts"]["guardians"] == {"added": 5, "linked": 6}
    services.confirm(user=admin, run=run)
    peter = Guardianship.objects.filter(user__email="peter.mulder@ouders.example")
    assert set(peter.values_list("child__las_key", flat=True)) == {"1004", "1005"}


def test_a_guardian_email_of_a_professional_is_a_row_error(school, admin):
    services.confirm(
        user=admin,
        run=services.start_import(user=admin, school=school, file_name="s.xml", content=file_bytes("school.xml")),
    )
    staff(Role.TEACHER, school=school, user=UserFactory(email="juf@school.example"))
    content = "Code;Achternaam;Email;Leerlingcodes\nO1;Smit;juf@school.example;1001\nO2;Kok;kok@ouders.example;4242\n"
    run = services.start_import(user=admin, school=school, file_name="ouders.csv", content=content.encode())
    run = services.set_mapping(user=admin, run=run, mapping=run.mapping)
    messages = [f"regel {e['line']}: {e['message']}" for e in run.row_errors]
    assert messages == [
        "regel 2: dit e-mailadres hoort bij een medewerker; een ouder heeft een eigen e-mailadres nodig",
        "regel 3: leerling 4242 is niet bekend op deze school",
    ]
    before = Guardianship.objects.count()
    with pytest.raises(UnreadableFile, match="los eerst de fouten op"):
        services.confirm(user=admin, run=run)
    assert Guardianship.objects.count() == before


def test_a_comma_separated_utf8_file_is_sniffed():
    headers, rows = csv_parser.read_table("Leerlingnummer,Roepnaam,Achternaam\n1,Noor,Aydın\n".encode())
    assert headers == ["Leerlingnummer", "Roepnaam", "Achternaam"] and rows == [(2, ["1", "Noor", "Aydın"])]


def test_a_file_that_is_neither_csv_nor_edexml_is_refused(school, admin):
    for name, content in [
        ("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("data.csv", b"\x00\x01\x02binary"),
        ("tekst.csv", b"alleen een zin zonder kolommen\n"),
    ]:
        with pytest.raises(UnreadableFile, match="geen CSV- of EDEXML-bestand"):
            services.start_import(user=admin, school=school, file_name=name, content=content)
    assert not ImportRun.objects.exists()


def test_a_50_mb_file_is_refused_before_it_is_read(school, admin):
    class Huge:
        size = 50 * 1024 * 1024
        name = "groot.csv"

        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(UnreadableFile, match="te groot"):
        services.read_upload(Huge())
