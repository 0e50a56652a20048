"""The family's log (issue 12 item 6, docs/audit-log.md): sentences from tested patterns, repeats folded, the
family's own views behind a switch, the consent and the person's role named, calm refusals, and the NEN 7513
fields (purpose of use, responsible user, access point) recorded and hashed."""

import hashlib
import hmac
import json
import re
from datetime import UTC, timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.access.policy import AccessDenied, Action, authorize
from apps.audit import describe as d
from apps.audit.describe import describe, describe_lines
from apps.audit.log import GENESIS, Actor, entry_hash, hmac_key, verify_chain
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.organisations.models import Membership, Role
from apps.referrals.models import StaffTitle
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)

# --- the sentence patterns: every action and object kind, in Dutch and English -----------------------------------

DUTCH_INFINITIVES = {
    "view": "te bekijken",
    "create": "aan te vullen",
    "change": "te wijzigen",
    "export": "te exporteren",
    "sign": "te ondertekenen",
    "revoke": "in te trekken",
    "list": "te zien",
}
DUTCH_PAST = {
    "view": "bekeek",
    "create": "vulde",
    "change": "wijzigde",
    "export": "exporteerde",
    "sign": "ondertekende",
    "revoke": "trok",
    "list": "zag",
}
ENGLISH_DONE = {
    "view": "viewed",
    "create": "added to",
    "change": "changed",
    "export": "exported",
    "sign": "signed",
    "revoke": "revoked",
    "list": "saw",
}
ENGLISH_INFINITIVES = {
    "view": "view",
    "create": "add to",
    "change": "change",
    "export": "export",
    "sign": "sign",
    "revoke": "revoke",
    "list": "see",
}
DUTCH_WORDS = ("bekeek", "probeerde", "wijzigde", "exporteerde", "tekende", "trok", "zag", "vulde", " te ")

# Names and labels as people and callers write them: letters, spaces, hyphens, apostrophes; never a placeholder.
words = st.text(alphabet=st.sampled_from("abcdeéëijklmnorstuvzABCDEJKMS -'"), min_size=1, max_size=30).map(
    lambda s: s.strip() or "x"
)
PAIRS = sorted(d.PATTERNS)


def test_every_action_and_object_kind_has_a_pattern():
    """Whatever an entry holds, `kind_of` leads to a pattern of the table (the fallback is for unknown actions)."""
    for action in AccessLogEntry.Action.values:
        for object_type in ("child", "plan", "consent", "conversation"):
            assert (action, d.kind_of(action, object_type)) in d.PATTERNS
    assert {a for a, _k in d.PATTERNS} == set(AccessLogEntry.Action.values)


@hsettings(max_examples=60, deadline=None)
@given(pair=st.sampled_from(PAIRS), allowed=st.booleans(), actor=words, obj=words, child=words)
def test_dutch_sentences_put_the_infinitive_after_its_object(pair, allowed, actor, obj, child):
    action, kind = pair
    with translation.override("nl"):
        text = d.sentence(action, kind, allowed, actor=actor, obj=obj, child=child)
    assert "%(" not in text and ")s" not in text
    assert text.startswith(actor + " ")
    rest = text[len(actor) + 1 :]
    assert obj in rest
    if allowed:  # verb second: "Jan bekeek het plan", "Jan trok de toestemming in"
        assert rest.startswith(DUTCH_PAST[action] + " ")
        assert " te " not in rest[len(DUTCH_PAST[action]) :].replace(obj, "").replace(child, "")
    else:  # "Jan probeerde het plan te bekijken": the object before the infinitive, the infinitive last
        assert rest.startswith("probeerde ")
        assert rest.endswith(f"{obj} {DUTCH_INFINITIVES[action]}")
        assert not re.search(r"probeerde (in |aan )?te ", rest)  # never "probeerde te bekijken het plan"
    if kind == d.LIST:
        assert child in rest


@hsettings(max_examples=60, deadline=None)
@given(pair=st.sampled_from(PAIRS), allowed=st.booleans(), actor=words, obj=words, child=words)
def test_english_sentences_read_subject_verb_object(pair, allowed, actor, obj, child):
    action, kind = pair
    with translation.override("en"):
        text = d.sentence(action, kind, allowed, actor=actor, obj=obj, child=child)
    assert "%(" not in text and ")s" not in text
    rest = text[len(actor) + 1 :]
    assert text.startswith(actor + " ")
    verb = ENGLISH_DONE[action] if allowed else "tried to " + ENGLISH_INFINITIVES[action]
    assert rest.startswith(verb + " ")
    assert rest.endswith(obj)  # the object last: subject, verb, object
    without_names = rest.replace(obj, "").replace(child, "")
    assert not any(w in " " + without_names + " " for w in DUTCH_WORDS), text  # translated, no msgid left


def test_the_fallback_pattern_is_a_whole_sentence_too():
    with translation.override("nl"):
        assert d.sentence("delete", d.RECORD, False, actor="Jan", obj="het plan") == (
            "Jan probeerde het plan te gebruiken"
        )
    with translation.override("en"):
        assert d.sentence("delete", d.RECORD, True, actor="Jan", obj="the plan") == "Jan used the plan"


def test_refusal_explanations_exist_for_every_action_in_both_languages():
    for action in AccessLogEntry.Action.values:
        with translation.override("nl"):
            nl = str(d.PREVENTED[action])
        with translation.override("en"):
            en = str(d.PREVENTED[action])
        assert nl.startswith("Dat mocht niet en is tegengehouden: ") and nl != en and en.startswith("This was not")


# --- the log of a real family -------------------------------------------------------------------------------------


@pytest.fixture
def family(db, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory(first_name="Sanne")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Anna Bakker")).user
    team = CareOrganisationFactory(name="Wijkteam Oost")
    coach = staff(Role.YOUTH_WORKER, organisation=team, user=UserFactory(full_name="Jeroen Smit", is_demo=True))
    circle_member(child, coach, organisation=team)
    consent = consent_services.request_consent(
        child=child, by=mother, organisation=team, categories=["basic", "support"], starts_on=child.created_at.date()
    )
    return {"child": child, "mother": mother, "team": team, "coach": coach, "consent": consent}


def _newest(child):
    return AccessLogEntry.objects.filter(child=child).order_by("-pk").first()


def test_the_persons_role_is_named_with_the_organisation(family):
    f = family
    StaffTitle.objects.create(membership=Membership.objects.get(user=f["coach"]), title="gezinscoach")
    authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "support", label="het plan")
    with translation.override("nl"):
        text = describe(_newest(f["child"]))
    assert text.startswith("Jeroen Smit, gezinscoach bij Wijkteam Oost, bekeek het plan, ")


def test_without_a_title_the_role_is_named_in_the_readers_language(family):
    authorize(Actor(user=family["coach"]), Action.VIEW, family["child"], "support", label="het plan")
    with translation.override("en"):
        text = describe(_newest(family["child"]))
    assert text.startswith("Jeroen Smit, youth-care worker at Wijkteam Oost, viewed the plan, "), text


def test_the_consent_used_is_named_by_organisation_categories_and_date_with_a_link(family):
    f = family
    other = CareOrganisationFactory(name="GGD Regio")
    consent_services.request_consent(  # a second consent of the same day: the line must say which one
        child=f["child"], by=f["mother"], organisation=other, categories=["health"], starts_on=f["consent"].starts_on
    )
    authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "support", label="het plan")
    entry = _newest(f["child"])
    assert entry.consent_id == f["consent"].pk
    with translation.override("nl"):
        (line,) = describe_lines([entry])
    date = f["consent"].created_at
    assert "met de toestemming aan Wijkteam Oost voor basisgegevens en kring, ondersteuning en plan van" in line.text
    assert str(timezone.localtime(date).year) in line.text and "GGD" not in line.text
    assert line.consent_url == f"/kinderen/{f['child'].pk}/toestemming/#consent-{f['consent'].pk}"


def test_revoke_is_logged_and_shown_as_revoke(client, family):
    """The revoke view used to authorize GIVE_CONSENT, which the log records as "sign" ("tekenen")."""
    f = family
    client.force_login(f["mother"])
    url = f"/kinderen/{f['child'].pk}/toestemming/{f['consent'].pk}/intrekken/"
    assert client.post(url, {"reason": "We stoppen"}).status_code == 302
    f["consent"].refresh_from_db()
    assert f["consent"].revoked_at is not None
    entry = AccessLogEntry.objects.filter(child=f["child"], actor=f["mother"]).latest("pk")
    assert (entry.action, entry.object_type, entry.object_id) == ("revoke", "consent", str(f["consent"].pk))
    with translation.override("nl"):
        text = describe(entry)
    assert text.startswith("Anna Bakker, moeder, trok de toestemming aan Wijkteam Oost voor ")
    assert "tekende" not in text and "ondertekende" not in text
    with translation.override("en"):
        assert "revoked the consent to Wijkteam Oost for " in describe(entry)


def test_a_refused_revoke_is_logged_as_a_revoke_attempt_with_a_calm_explanation(client, family):
    f = family
    client.force_login(f["coach"])
    url = f"/kinderen/{f['child'].pk}/toestemming/{f['consent'].pk}/intrekken/"
    assert client.post(url, {"reason": "x"}).status_code == 403
    f["consent"].refresh_from_db()
    assert f["consent"].revoked_at is None
    entry = AccessLogEntry.objects.filter(child=f["child"], actor=f["coach"]).latest("pk")
    assert (entry.action, entry.allowed) == ("revoke", False)
    with translation.override("nl"):
        text = describe(entry)
    assert "probeerde de toestemming aan Wijkteam Oost voor " in text and " in te trekken, " in text
    assert text.endswith("Dat mocht niet en is tegengehouden: de toestemming is niet ingetrokken.")


def test_a_revoke_through_the_api_is_a_revoke_too(client, family):
    f = family
    client.force_login(f["mother"])
    url = f"/api/v1/children/{f['child'].pk}/consents/{f['consent'].pk}/revoke/"
    assert client.post(url, {"reason": "klaar"}, content_type="application/json").status_code == 200
    entry = AccessLogEntry.objects.filter(child=f["child"], actor=f["mother"]).latest("pk")
    assert (entry.action, entry.channel, entry.access_point) == ("revoke", "api", "api")


def test_a_revoke_of_an_unknown_consent_is_refused_before_it_is_looked_up(client, family):
    """A stranger gets the same 403 for a consent that exists as for one that does not, and it is logged."""
    stranger = GuardianshipFactory().user
    client.force_login(stranger)
    for consent_id in (family["consent"].pk, 999999):
        url = f"/kinderen/{family['child'].pk}/toestemming/{consent_id}/intrekken/"
        assert client.post(url).status_code == 403
    assert AccessLogEntry.objects.filter(actor=stranger, action="revoke", allowed=False).count() == 2


# --- folding ------------------------------------------------------------------------------------------------------


def test_repeats_within_the_window_are_folded_into_one_line(family, settings):
    f = family
    settings.AUDIT_LOG_FOLD_MINUTES = 10
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):  # one visit: four views of the plan in a few minutes
            authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "support", label="het plan")
            clock.shift(timedelta(minutes=2))
        clock.shift(timedelta(minutes=15))  # a later visit: a line of its own
        authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "support", label="het plan")
        authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "basic", label="de kindpagina met de kring")
    entries = AccessLogEntry.objects.filter(child=f["child"], actor=f["coach"]).order_by("-pk")
    with translation.override("nl"):
        lines = describe_lines(entries, child=f["child"])
    assert [line.count for line in lines] == [1, 1, 4]
    assert "bekeek het plan (4 keer), " in lines[2].text
    assert "keer" not in lines[1].text
    with translation.override("en"):
        assert "viewed the plan (4 times), " in describe_lines(entries, child=f["child"])[2].text
    settings.AUDIT_LOG_FOLD_MINUTES = 1  # a shorter window: nothing folds (the views were 2 minutes apart)
    assert [line.count for line in describe_lines(entries)] == [1, 1, 1, 1, 1, 1]


def test_an_allowed_view_and_a_refused_one_are_not_folded_together(family):
    f = family
    authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "support", label="het plan")
    with pytest.raises(AccessDenied):
        authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "health", label="het plan")
    lines = describe_lines(AccessLogEntry.objects.filter(child=f["child"], actor=f["coach"]).order_by("-pk"))
    assert [line.refused for line in lines] == [True, False]


# --- the family's own views: hidden by default, a switch shows them --------------------------------------------------


def test_the_familys_own_views_are_hidden_until_the_switch_shows_them(client, family):
    f = family
    child = f["child"]
    client.force_login(f["mother"])
    for _ in range(3):
        assert client.get(f"/kinderen/{child.pk}/").status_code == 200
    authorize(Actor(user=f["coach"]), Action.VIEW, child, "support", label="het plan")
    page = client.get(f"/kinderen/{child.pk}/logboek/").content.decode()
    log = page[page.index('id="log"') :]
    assert "Jeroen Smit" in log and "Anna Bakker, moeder, bekeek" not in log
    assert 'href="?eigen=tonen"' in page  # a plain link: works without JavaScript
    shown = client.get(f"/kinderen/{child.pk}/logboek/?eigen=tonen").content.decode()
    assert "Anna Bakker, moeder, bekeek de kindpagina met de kring (3 keer)" in shown
    assert 'href="?"' in shown or "Verberg wat uw gezin zelf bekeek" in shown


def test_the_switch_keeps_the_refusals_filter(client, family):
    client.force_login(family["mother"])
    page = client.get(f"/kinderen/{family['child'].pk}/logboek/?alleen=geweigerd").content.decode()
    assert "?alleen=geweigerd&amp;eigen=tonen" in page


# --- NEN 7513 fields ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "action", "access_point"),
    [
        ("web", Action.VIEW, "page"),
        ("api", Action.VIEW, "api"),
        ("feed", Action.LIST, "feed"),
        ("job", Action.VIEW, "task"),
        ("web", Action.EXPORT, "export"),
    ],
)
def test_nen7513_fields_are_recorded_per_channel(family, channel, action, access_point):
    f = family
    mother = f["mother"]
    authorize(Actor(user=mother, channel=channel), action, f["child"], label="het plan")
    entry = _newest(f["child"])
    assert (entry.channel, entry.access_point, entry.purpose) == (channel, access_point, "family")
    assert (entry.responsible_id, entry.responsible_name) == (mother.pk, "Anna Bakker")


def test_purpose_of_use_follows_the_rule_that_decided(family):
    f = family
    teacher = staff(Role.TEACHER, school=f["child"].school, groups=[f["child"].group])
    authorize(Actor(user=teacher), Action.VIEW, f["child"], label="de kindpagina met de kring")
    assert _newest(f["child"]).purpose == "education"
    authorize(Actor(user=f["coach"]), Action.VIEW, f["child"], "support", label="het plan")
    assert _newest(f["child"]).purpose == "care"
    office = staff(Role.SCHOOL_ADMIN, school=f["child"].school)
    authorize(Actor(user=office), Action.VIEW, f["child"], label="de kindpagina met de kring")
    assert _newest(f["child"]).purpose == "administration"
    father = GuardianshipFactory(child=f["child"], relation="father", has_authority=False).user
    with pytest.raises(AccessDenied):  # a rule refused: the purpose the person acted for
        authorize(Actor(user=father), Action.CHANGE, f["child"])
    assert _newest(f["child"]).purpose == "family"
    with pytest.raises(AccessDenied):
        authorize(Actor(user=GuardianshipFactory().user), Action.VIEW, f["child"])
    assert _newest(f["child"]).purpose == ""  # no rule applies: no purpose


def test_the_responsible_user_is_recorded_and_shown_when_someone_else(family):
    f = family
    teamlead = UserFactory(full_name="Petra Visser")
    actor = Actor(user=f["coach"], channel="job", on_behalf_of=teamlead, purpose="care")
    authorize(actor, Action.VIEW, f["child"], "support", label="het plan")
    entry = _newest(f["child"])
    assert (entry.responsible_id, entry.responsible_name, entry.access_point) == (teamlead.pk, "Petra Visser", "task")
    with translation.override("nl"):
        text = describe(entry)
    assert text.endswith(", namens Petra Visser, via een automatische taak")
    with translation.override("en"):
        assert describe(entry).endswith(", on behalf of Petra Visser, through an automatic task")


def test_the_hash_covers_the_nen7513_fields(family):
    authorize(Actor(user=family["mother"]), Action.VIEW, family["child"], label="de kindpagina met de kring")
    row = AccessLogEntry.objects.filter(pk=_newest(family["child"]).pk).values().get()
    row["responsible_id"] = row.pop("responsible_id")
    assert entry_hash(row, row["prev_hash"]) == row["hash"]
    for name, other in (("purpose", "care"), ("access_point", "api"), ("responsible_name", "X"), ("purpose", None)):
        assert entry_hash({**row, name: other}, row["prev_hash"]) != row["hash"], name


OLD_FIELDS = (
    "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "child_id", "category",
    "object_type", "object_id", "object_label", "action", "allowed", "basis", "consent_id", "channel", "ip",
)  # fmt: skip


def _scheme3_hash(values, prev):
    """The keyed hash exactly as apps/audit/log.py computed it before the NEN 7513 fields (scheme 3, before
    migration 0005): the old fields, the chain and the place; none of the new four."""
    payload = {k: values[k] for k in (*OLD_FIELDS, "chain", "seq")}
    payload["at"] = payload["at"].astimezone(UTC).isoformat(timespec="microseconds")
    payload["prev"] = prev
    payload["scheme"] = 3
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hmac.new(hmac_key(), body, hashlib.sha256).hexdigest()


def test_entries_from_before_the_nen7513_fields_still_verify(family):
    """An entry written before migration 0005 is scheme 3, with NULL in the new fields and the hash the old code
    computed; a chain that goes on with newer (scheme 4) entries after it verifies, and the new fields are covered
    by the newer entries' hash."""
    child = family["child"]
    old_values = {
        "at": timezone.now(), "actor_id": None, "actor_name": "import", "actor_role": "schooladministratie",
        "actor_organisation": "", "child_id": child.pk, "category": "basic", "object_type": "child",
        "object_id": str(child.pk), "object_label": "de basisgegevens en de kring", "action": "change",
        "allowed": True, "basis": "import", "consent_id": None, "channel": "import", "ip": None,
        "chain": f"child:{child.pk}", "seq": 1,
    }  # fmt: skip
    head = AccessLogEntry.objects.filter(chain=old_values["chain"]).order_by("-seq").first()
    old_values["seq"] = head.seq + 1 if head else 1
    prev = head.hash if head else GENESIS
    old = AccessLogEntry.objects.create(**old_values, scheme=3, prev_hash=prev, hash=_scheme3_hash(old_values, prev))
    old = AccessLogEntry.objects.get(pk=old.pk)
    assert (old.purpose, old.responsible_id, old.responsible_name, old.access_point) == (None, None, None, None)
    authorize(Actor(user=family["mother"]), Action.VIEW, child, label="de kindpagina met de kring")
    newer = AccessLogEntry.objects.filter(chain=old_values["chain"]).order_by("-seq").first()
    assert newer.seq == old.seq + 1 and newer.scheme == 4 and newer.access_point == "page"
    assert verify_chain().ok
    values = AccessLogEntry.objects.filter(pk=newer.pk).values().get()
    assert entry_hash({**values, "access_point": "api"}, newer.prev_hash, 4) != newer.hash  # the new fields count
    with translation.override("nl"):
        assert "wijzigde de basisgegevens en de kring" in describe(old)  # shown without the fields it lacks


# --- the API shows the same sentences -----------------------------------------------------------------------------


def test_the_api_shows_the_same_sentences_and_the_nen7513_fields(client, family):
    f = family
    child = f["child"]
    authorize(Actor(user=f["coach"]), Action.VIEW, child, "support", label="het plan")
    client.force_login(f["mother"])
    client.get(f"/kinderen/{child.pk}/")
    data = client.get(f"/api/v1/children/{child.pk}/access-log/").json()
    items = data["results"]
    assert items and all(i["actor_name"] != "Anna Bakker" or i["action"] != "view" for i in items)  # own views hidden
    coach_item = next(i for i in items if i["actor_name"] == "Jeroen Smit")
    entry = AccessLogEntry.objects.get(pk=coach_item["id"])
    with translation.override("nl"):
        assert coach_item["text"] == describe(entry)
    assert coach_item["text"].startswith("Jeroen Smit, jeugdhulpverlener bij Wijkteam Oost, bekeek het plan, ")
    assert (coach_item["purpose"], coach_item["access_point"], coach_item["responsible_name"]) == (
        "care",
        "page",
        "Jeroen Smit",
    )
    assert coach_item["consent_url"].endswith(f"#consent-{f['consent'].pk}")
    page = client.get(f"/kinderen/{child.pk}/logboek/").content.decode()
    assert coach_item["text"].replace("'", "&#x27;") in page
    with_own = client.get(f"/api/v1/children/{child.pk}/access-log/?eigen=tonen").json()["results"]
    assert any(i["actor_name"] == "Anna Bakker" and i["action"] == "view" for i in with_own)
    english = client.get(f"/api/v1/children/{child.pk}/access-log/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert any(
        i["text"].startswith("Jeroen Smit, youth-care worker at Wijkteam Oost, viewed the plan") for i in english
    )


def test_a_family_can_still_revoke_after_the_pupil_left(client, family):
    """The file is read-only once a pupil left (signing a new consent is refused), but a consent can be withdrawn."""
    f = family
    f["child"].left_on = timezone.localdate() - timedelta(days=1)
    f["child"].save(update_fields=["left_on"])
    client.force_login(f["mother"])
    url = f"/kinderen/{f['child'].pk}/toestemming/{f['consent'].pk}/intrekken/"
    assert client.post(url, {"reason": "Verhuisd"}).status_code == 302
    f["consent"].refresh_from_db()
    assert f["consent"].revoked_at is not None
    assert AccessLogEntry.objects.filter(actor=f["mother"], action="revoke", allowed=True).exists()
