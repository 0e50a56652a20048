"""EDEXML 2.1 (the export of ParnasSys and ESIS): school, groepen incl. samengestelde groepen, leerlingen,
leerkrachten with their groups. There are no parents in EDEXML (docs/import.md).

Safety (SEC-23, docs/import.md "Unsafe files"): the XML parser never loads a DTD, never resolves an entity
and never goes to the network, and a file that declares a DTD at all is refused, so neither an external
entity (XXE) nor an entity bomb ("billion laughs") gets anywhere. What we read is checked against our own
XSD of the subset we accept (`schemas/edexml-2.1-subset.xsd`).

Never read: the BSN (also not its last four digits, `bsn_ondwnr-4`) and the ECK iD (`@eckid`): both are
removed from the tree before anything else looks at it.
"""

import functools
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from .dates import BadDate, parse_date
from .records import GroupRow, PupilRow, SourceData, StaffRow, UnreadableFile

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "edexml-2.1-subset.xsd"

# Per block, the fields we read; anything else (mutatiedatum, geslacht, bsn_ondwnr-4, fotourl …) is dropped.
KNOWN = {
    "school": {
        "schooljaar",
        "brincode",
        "dependancecode",
        "schoolkey",
        "peildatum",
        "aanmaakdatum",
        "auteur",
        "xsdversie",
        "commentaar",
    },
    "groep": {"naam", "jaargroep", "omschrijving"},
    "samengestelde_groep": {"naam", "omschrijving"},
    "leerling": {
        "achternaam",
        "voorvoegsel",
        "roepnaam",
        "voornamen",
        "geboortedatum",
        "jaargroep",
        "emailadres",
        "groep",
        "samengestelde_groepen",
    },
    "leerkracht": {"achternaam", "voorvoegsel", "roepnaam", "voornamen", "emailadres", "groepen"},
}


def _unsafe_message() -> str:
    return _("Dit XML-bestand bevat een DTD of entiteiten; die nemen wij om veiligheidsredenen niet aan.")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), _parser()))


def looks_like_edexml(content: bytes) -> bool:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") or head.startswith(b"<EDEX") or b"<EDEX" in head


def _load(content: bytes) -> etree._ElementTree:
    if b"<!DOCTYPE" in content[:65536].upper() or b"<!ENTITY" in content.upper():
        raise UnreadableFile(_unsafe_message())
    try:
        tree = etree.ElementTree(etree.fromstring(content, _parser()))
    except etree.XMLSyntaxError as e:
        message = _("Dit is geen leesbaar XML-bestand (regel %(line)s).") % {"line": e.lineno or "?"}
        raise UnreadableFile(message) from e
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnreadableFile(_unsafe_message())
    return tree


def _strip(root) -> None:
    """Drop namespaces, every attribute but @key (so @eckid is gone) and every field we do not read."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.getparent().remove(el)
    for el in root.iter(tag=etree.Element):
        el.tag = etree.QName(el).localname
        for name in list(el.attrib):
            if etree.QName(name).localname != "key":
                del el.attrib[name]
    etree.cleanup_namespaces(root)
    for el in list(root.iter()):
        parent = el.getparent()
        if parent is None or parent.tag not in KNOWN:
            continue
        if parent.tag == "groep" and parent.getparent() is not None and parent.getparent().tag != "groepen":
            continue  # a reference <groep key=".."/> inside a pupil or teacher
        if el.tag not in KNOWN[parent.tag]:
            parent.remove(el)


def _text(el, name: str) -> str:
    child = el.find(name)
    return (child.text or "").strip() if child is not None and child.text else ""


def _year_level(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def parse(content: bytes) -> SourceData:
    tree = _load(content)
    root = tree.getroot()
    if etree.QName(root).localname != "EDEX":
        raise UnreadableFile(_("Dit XML-bestand is geen EDEXML-export (het begint niet met <EDEX>)."))
    _strip(root)
    schema = _schema()
    if not schema.validate(tree):
        first = schema.error_log[0]
        raise UnreadableFile(
            _("Dit EDEXML-bestand klopt niet met EDEXML 2.1 (regel %(line)s, %(detail)s).")
            % {"line": first.line, "detail": first.message[:200]}
        )
    school = root.find("school")
    data = SourceData(
        kind="edexml",
        school_year=_text(school, "schooljaar"),
        brin=_text(school, "brincode"),
        vestiging=_text(school, "dependancecode"),
        complete_pupils=True,
    )
    _read_groups(root, data)
    _read_pupils(root, data)
    _read_teachers(root, data)
    return data


def _read_groups(root, data: SourceData) -> None:
    for el in root.iterfind("groepen/groep"):
        data.groups.append(
            GroupRow(
                el.get("key"),
                _text(el, "naam") or el.get("key"),
                _year_level(_text(el, "jaargroep")),
                line=el.sourceline,
            )
        )
    for el in root.iterfind("groepen/samengestelde_groep"):
        data.groups.append(
            GroupRow(el.get("key"), _text(el, "naam") or el.get("key"), 0, composite=True, line=el.sourceline)
        )


def _read_pupils(root, data: SourceData) -> None:
    for el in root.iterfind("leerlingen/leerling"):
        line = el.sourceline
        first = _text(el, "roepnaam") or _text(el, "voornamen").split(" ")[0]
        last = _text(el, "achternaam")
        if not first or not last:
            data.error(line, _("roepnaam of achternaam ontbreekt (leerling %(key)s)") % {"key": el.get("key")})
            continue
        born_text = _text(el, "geboortedatum")
        try:
            born = parse_date(born_text)
        except BadDate as e:
            data.error(line, _("geboortedatum %(reason)s") % {"reason": e})
            continue
        group = el.find("groep")
        data.pupils.append(
            PupilRow(
                line=line,
                key=el.get("key"),
                first_name=first,
                last_name=last,
                prefix=_text(el, "voorvoegsel"),
                date_of_birth=born,
                group_key=group.get("key") if group is not None else "",
                extra_group_keys=[g.get("key") for g in el.iterfind("samengestelde_groepen/samengestelde_groep")],
            )
        )


def _read_teachers(root, data: SourceData) -> None:
    data.complete_staff = root.find("leerkrachten") is not None
    for el in root.iterfind("leerkrachten/leerkracht"):
        data.staff_keys.add(el.get("key"))
        email = _text(el, "emailadres").lower()
        first = _text(el, "roepnaam") or _text(el, "voornamen").split(" ")[0]
        if not email:
            data.error(el.sourceline, _("leerkracht %(key)s heeft geen e-mailadres") % {"key": el.get("key")})
            continue
        data.staff.append(
            StaffRow(
                line=el.sourceline,
                key=el.get("key"),
                first_name=first,
                last_name=_text(el, "achternaam"),
                prefix=_text(el, "voorvoegsel"),
                email=email,
                group_keys=[g.get("key") for g in el.iterfind("groepen/*")],
            )
        )
