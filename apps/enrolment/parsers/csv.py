"""CSV exports of ParnasSys, ESIS, Magister and the Social Schools / Zermelo patterns (docs/import.md).

The delimiter is sniffed (`;` is the Dutch spreadsheet default, `,` and tab also occur), the encoding is
UTF-8 with or without BOM, else Windows-1252 (what Excel on Windows writes). A column-mapping step tells
which column holds which of our fields; `suggest_mapping` prefills it from known header names and from the
mapping the school chose last time. Cells are kept as text: a formula cell such as `=HYPERLINK(...)` is
stored as the characters it is and never evaluated here.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import BadDate, parse_date
from .records import GroupRow, GuardianRow, PupilRow, SourceData, StaffRow, UnreadableFile


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool
    headers: tuple[str, ...]  # known header names, normalised (see _norm)


FIELDS: dict[str, tuple[Field, ...]] = {
    "csv_pupils": (
        Field(
            "las_key",
            gettext_lazy("Leerlingnummer"),
            True,
            ("leerlingnummer", "leerlingcode", "stamnummer", "leerling nummer", "llnr", "leerlingid", "key"),
        ),
        Field("first_name", gettext_lazy("Roepnaam"), True, ("roepnaam", "voornaam")),
        Field("prefix", gettext_lazy("Tussenvoegsel"), False, ("tussenvoegsel", "tussenvoegsels", "voorvoegsel")),
        Field("last_name", gettext_lazy("Achternaam"), True, ("achternaam",)),
        Field(
            "date_of_birth",
            gettext_lazy("Geboortedatum"),
            True,
            ("geboortedatum", "geboortedatum (dd-mm-jjjj)", "geb. datum", "geb.datum", "geboorte datum"),
        ),
        Field(
            "group",
            gettext_lazy("Groep"),
            True,
            ("groep", "klas", "klasnaam", "stamgroep", "groepsnaam", "basisgroep", "groep naam"),
        ),
        Field("year_level", gettext_lazy("Jaargroep / leerjaar"), False, ("jaargroep", "leerjaar")),
        Field(
            "guardian_email_1",
            gettext_lazy("E-mailadres ouder/verzorger 1"),
            False,
            ("e-mailadres ouder/verzorger 1", "email ouder 1", "e-mail ouder 1", "e-mailadres ouder 1"),
        ),
        Field(
            "guardian_email_2",
            gettext_lazy("E-mailadres ouder/verzorger 2"),
            False,
            ("e-mailadres ouder/verzorger 2", "email ouder 2", "e-mail ouder 2", "e-mailadres ouder 2"),
        ),
    ),
    "csv_guardians": (
        Field("key", gettext_lazy("Code ouder/verzorger"), False, ("code", "oudercode", "ouder code", "relatienummer")),
        Field("first_name", gettext_lazy("Voornaam"), False, ("voornaam", "roepnaam")),
        Field("last_name", gettext_lazy("Achternaam of naam"), False, ("achternaam", "naam")),
        Field("email", gettext_lazy("E-mailadres"), True, ("email", "e-mail", "e-mailadres", "emailadres")),
        Field(
            "pupil_keys",
            gettext_lazy("Leerlingnummers (gescheiden door komma's)"),
            True,
            ("leerlingcodes", "leerlingnummers", "leerlingen", "stamnummers", "leerlingnummer", "leerlingcode"),
        ),
    ),
    "csv_staff": (
        Field(
            "key",
            gettext_lazy("Code medewerker"),
            True,
            ("code", "medewerkercode", "personeelsnummer", "afkorting", "medewerkernummer"),
        ),
        Field("first_name", gettext_lazy("Roepnaam"), False, ("roepnaam", "voornaam")),
        Field("prefix", gettext_lazy("Tussenvoegsel"), False, ("tussenvoegsel", "tussenvoegsels", "voorvoegsel")),
        Field("last_name", gettext_lazy("Achternaam"), True, ("achternaam",)),
        Field("email", gettext_lazy("E-mailadres"), True, ("email", "e-mail", "e-mailadres", "emailadres")),
        Field(
            "groups", gettext_lazy("Groepen (gescheiden door komma's)"), False, ("groepen", "groep", "klassen", "klas")
        ),
    ),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _norm(header: str) -> str:
    return " ".join((header or "").replace("\ufeff", "").strip().lower().split())


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252. A file with NUL bytes is not text at all."""
    if b"\x00" in content[:65536]:
        raise UnreadableFile(_("Dit bestand is geen CSV- of EDEXML-bestand."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(_("De tekens in dit bestand zijn niet te lezen; sla het op als CSV (UTF-8).")) from None


def _dialect(text: str):
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:
        pass
    # The sniffer gives up on uneven rows; the header line alone still tells the delimiter.
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in ";,\t|"}
    delimiter = max(counts, key=counts.get)
    if not counts[delimiter]:
        raise UnreadableFile(_("Dit bestand is geen CSV- of EDEXML-bestand."))

    class Found(csv.excel):
        pass

    Found.delimiter = delimiter
    return Found


def read_table(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows, each row with its line number in the file (the header is line 1)."""
    text = decode(content)
    if not text.strip():
        raise UnreadableFile(_("Het bestand is leeg."))
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        headers = [h.strip().replace("\ufeff", "") for h in next(reader)]
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as e:
        raise UnreadableFile(_("Dit CSV-bestand is niet te lezen (regel %(line)s).") % {"line": reader.line_num}) from e
    if len(headers) < 2:
        raise UnreadableFile(_("Dit bestand is geen CSV- of EDEXML-bestand."))
    return headers, rows


def suggest_mapping(kind: str, headers: list[str], remembered: dict | None = None) -> dict[str, str]:
    """Our field → a column of this file: the school's remembered choice where that column exists, else a
    known header name."""
    by_norm = {_norm(h): h for h in headers}
    mapping = {}
    for f in FIELDS[kind]:
        wanted = (remembered or {}).get(f.name)
        if wanted in headers:
            mapping[f.name] = wanted
            continue
        match = next((by_norm[h] for h in f.headers if h in by_norm), None)
        if match:
            mapping[f.name] = match
    return mapping


def missing_fields(kind: str, mapping: dict) -> list[str]:
    return [str(f.label) for f in FIELDS[kind] if f.required and not mapping.get(f.name)]


def _cells(headers, mapping, cells) -> dict[str, str]:
    index = {h: i for i, h in enumerate(headers)}
    values = {}
    for name, column in mapping.items():
        i = index.get(column)
        values[name] = cells[i].strip() if i is not None and i < len(cells) else ""
    return values


def _keys(value: str) -> list[str]:
    return [k.strip() for k in re.split(r"[,;|]", value or "") if k.strip()]


def parse(kind: str, content: bytes, mapping: dict) -> SourceData:
    headers, rows = read_table(content)
    missing = missing_fields(kind, mapping)
    if missing:
        raise UnreadableFile(_("Koppel eerst een kolom aan: %(fields)s.") % {"fields": ", ".join(missing)})
    unknown = [c for c in mapping.values() if c and c not in headers]
    if unknown:
        raise UnreadableFile(_("Deze kolom staat niet in het bestand: %(cols)s.") % {"cols": ", ".join(unknown)})
    data = SourceData(kind=kind, complete_pupils=kind == "csv_pupils", groups_by_name=True)
    reader = {"csv_pupils": _pupil, "csv_guardians": _guardian, "csv_staff": _staff}[kind]
    for line, cells in rows:
        reader(data, line, _cells(headers, mapping, cells))
    return data


def _email(data: SourceData, line: int, value: str) -> str | None:
    value = value.strip().lower()
    if value and not _EMAIL.match(value):
        data.error(line, _("%(value)s is geen geldig e-mailadres") % {"value": value})
        return None
    return value


def _pupil(data: SourceData, line: int, v: dict) -> None:
    if not v.get("las_key"):
        data.error(line, _("het leerlingnummer ontbreekt"))
        return
    if not v.get("first_name") or not v.get("last_name"):
        data.error(line, _("roepnaam of achternaam ontbreekt"))
        return
    if not v.get("group"):
        data.error(line, _("de groep ontbreekt"))
        return
    try:
        born = parse_date(v.get("date_of_birth", ""))
    except BadDate as e:
        data.error(line, _("geboortedatum %(reason)s") % {"reason": e})
        return
    emails = []
    for name in ("guardian_email_1", "guardian_email_2"):
        email = _email(data, line, v.get(name, ""))
        if email is None:
            return
        if email:
            emails.append(email)
    group = v["group"]
    if group not in {g.key for g in data.groups}:
        level = re.search(r"\d+", v.get("year_level", "") or group)
        data.groups.append(GroupRow(group, group, int(level.group()) if level else 0, line=line))
    data.pupils.append(
        PupilRow(
            line=line,
            key=v["las_key"],
            first_name=v["first_name"],
            last_name=v["last_name"],
            prefix=v.get("prefix", ""),
            date_of_birth=born,
            group_key=group,
            guardian_emails=emails,
        )
    )


def _guardian(data: SourceData, line: int, v: dict) -> None:
    email = _email(data, line, v.get("email", ""))
    if email is None:
        return
    if not email:
        data.error(line, _("het e-mailadres ontbreekt"))
        return
    keys = _keys(v.get("pupil_keys", ""))
    if not keys:
        data.error(line, _("er staat geen leerlingnummer bij deze ouder"))
        return
    name = " ".join(p for p in (v.get("first_name", ""), v.get("last_name", "")) if p)
    data.guardians.append(GuardianRow(line=line, email=email, name=name, key=v.get("key", ""), pupil_keys=keys))


def _staff(data: SourceData, line: int, v: dict) -> None:
    email = _email(data, line, v.get("email", ""))
    if email is None:
        return
    if not email or not v.get("key") or not v.get("last_name"):
        data.error(line, _("code, achternaam of e-mailadres ontbreekt"))
        return
    data.staff.append(
        StaffRow(
            line=line,
            key=v["key"],
            first_name=v.get("first_name", ""),
            last_name=v["last_name"],
            prefix=v.get("prefix", ""),
            email=email,
            group_keys=_keys(v.get("groups", "")),
        )
    )
