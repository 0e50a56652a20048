"""English is really available: the pages switch, Dutch stays the default, and the catalog is complete."""

import ast
import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.factories import GuardianshipFactory

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.fixture
def guardian(db, client):
    guardianship = GuardianshipFactory()
    client.force_login(guardianship.user)
    return guardianship


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- switching language -------------------------------------------------------------------------------------------


def test_set_language_switches_a_guardians_pages_to_english(client, guardian):
    child = guardian.child
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    home = _get(client, "/")
    assert '<html lang="en" dir="ltr">' in home
    assert "My children" in home and "Mijn kinderen" not in home
    assert "Who looked at the record?" in home

    detail = _get(client, f"/kinderen/{child.pk}/")
    assert f'<a href="/kinderen/{child.pk}/toestemming/">Consents</a>' in detail
    assert "Toestemmingen" not in detail
    assert "Point of contact" in detail and "Parents and carers" in detail

    consent_page = _get(client, f"/kinderen/{child.pk}/toestemming/")
    assert "Give consent" in consent_page and "Toestemming geven" not in consent_page


def test_accept_language_header_also_selects_english(client, guardian):
    guardian.user.language = ""  # not chosen yet: the browser's language decides until then
    guardian.user.save(update_fields=["language"])
    home = _get(client, "/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "My children" in home and '<html lang="en" dir="ltr">' in home


def test_access_log_sentences_are_english_too(client, guardian):
    child = guardian.child
    _get(client, f"/kinderen/{child.pk}/")  # creates a log entry ("bekeek …")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    log = _get(client, f"/kinderen/{child.pk}/logboek/?eigen=tonen")  # the family's own views, on request
    assert "Who looked at the record?" in log
    assert " viewed " in log and " bekeek " not in log


# --- Dutch stays the default --------------------------------------------------------------------------------------


def test_dutch_is_the_default(client, guardian):
    assert settings.LANGUAGE_CODE == "nl"
    home = _get(client, "/")
    assert '<html lang="nl" dir="ltr">' in home
    assert "Mijn kinderen" in home and "My children" not in home
    detail = _get(client, f"/kinderen/{guardian.child.pk}/")
    assert ">Toestemmingen</a>" in detail


def test_an_unsupported_browser_language_falls_back_to_dutch(client, guardian):
    home = _get(client, "/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert "Mijn kinderen" in home and '<html lang="nl" dir="ltr">' in home


def test_switching_back_to_dutch_works(client, guardian):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Mijn kinderen" in _get(client, "/")


# --- the catalog --------------------------------------------------------------------------------------------------


def _po_entries(path: Path) -> list[dict]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n] and flags per entry (header excluded)."""
    entries, current, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current and "msgid" in current:
                entries.append(current)
            current, field = None, None
            continue
        current = current if current is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += value
            else:
                current[field[0]] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                field = ("msgstr", int(match.group(1) or 0))
                current["msgstr"][field[1]] = value
            else:
                field = (keyword, None)
                current[keyword] = value
    return [e for e in entries if e["msgid"]]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_english_catalog_is_complete_and_not_fuzzy():
    entries = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 250
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    for e in entries:
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, e["msgid"]
    plural = [e for e in entries if "msgid_plural" in e]
    assert plural and all(set(e["msgstr"]) == {0, 1} for e in plural)


def test_dutch_catalog_has_no_fuzzy_entries():
    text = (LOCALE / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and "fuzzy" not in "".join(re.findall(r"^#,.*$", text, flags=re.M))


def test_compiled_english_catalog_matches_the_po_file():
    entries = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in entries:
        if "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0]
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr"][1]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


# --- every catalogue complete (issue 13 item 1) ------------------------------------------------------------------


def _catalogue(code: str):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE])
def test_every_offered_catalogue_is_complete_and_not_fuzzy(code):
    """Fails while a language the product offers has an untranslated or fuzzy entry (nl is the source)."""
    po = _catalogue(code)
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 250
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert fuzzy == [], f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"
    for e in entries:
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        if e.msgid_plural:  # a form for one or two may say the number in words, but never invent a placeholder
            for text in e.msgstr_plural.values():
                assert set(PLACEHOLDER.findall(text)) <= set(wanted), (code, e.msgid)
        else:
            assert sorted(PLACEHOLDER.findall(e.msgstr)) == wanted, (code, e.msgid)


def test_every_offered_language_has_a_catalogue_and_a_compiled_one():
    for code, _name in settings.LANGUAGES:
        assert (LOCALE / code / "LC_MESSAGES" / "django.po").exists(), code
        assert (LOCALE / code / "LC_MESSAGES" / "django.mo").exists(), code


def test_django_texts_missing_upstream_are_translated_in_our_catalogues_even_in_dutch():
    """apps/core/upstream_gaps.py: Django's own message, missing from its Dutch catalogue, is ours to fill."""
    english_ids = {e.msgid for e in _catalogue("en") if "apps/core/upstream_gaps.py" in str(e.occurrences)}
    assert "This password is too short. It must contain at least %d character." in english_ids
    nl = {e.msgid: e for e in _catalogue("nl")}
    assert all(nl[msgid].translated() for msgid in english_ids), "fill the Dutch msgstr of upstream texts"
