"""Policy matrix for referral states (issue 10 item 2): who may read the referral text, the child's file
and assign, in each state. The receiving organisation sees only the referral text before it accepts; a
worker of another organisation is refused in every state, and every refusal is logged."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.access.policy import Action, authorize, decide
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.organisations.models import CareOrganisation
from apps.referrals import services
from apps.referrals.models import Referral
from tests.factories import CareOrganisationFactory

from .conftest import fresh, worker_at

pytestmark = pytest.mark.django_db
A, S = Action, Referral.Status
TEXT, BASIC, SUPPORT, ASSIGN = "text", "basic", "support", "assign"
CHECKS = {
    TEXT: (A.RECEIVE_REFERRAL, Category.BASIC),
    BASIC: (A.VIEW, Category.BASIC),
    SUPPORT: (A.VIEW, Category.SUPPORT),
    ASSIGN: (A.ASSIGN, Category.BASIC),
}
# state -> person -> what is allowed (anything not listed is refused)
EXPECTED = {
    S.WAITING_CONSENT: {"colleague": set(), "worker": set(), "stranger": set(), "mother": {BASIC, SUPPORT}},
    S.SENT: {"colleague": {TEXT}, "worker": {TEXT}, "stranger": set(), "mother": {BASIC, SUPPORT}},
    S.ACCEPTED: {"colleague": {TEXT, ASSIGN}, "worker": {TEXT, ASSIGN}, "stranger": set(), "mother": {BASIC, SUPPORT}},
    S.ASSIGNED: {
        "colleague": {TEXT, ASSIGN},
        "worker": {TEXT, ASSIGN, BASIC, SUPPORT},
        "stranger": set(),
        "mother": {BASIC, SUPPORT},
    },
    S.DECLINED: {"colleague": set(), "worker": set(), "stranger": set(), "mother": {BASIC, SUPPORT}},
    S.WITHDRAWN: {"colleague": set(), "worker": set(), "stranger": set(), "mother": {BASIC, SUPPORT}},
}


def _in_state(s, state) -> Referral:
    cjg = CareOrganisationFactory(name="CJG Noord", kind=CareOrganisation.Kind.CJG)
    s["colleague"] = worker_at(cjg, "Anouk de Vries")
    s["worker"] = worker_at(cjg, "Bas Jansen")
    referral = services.refer(
        Actor(fresh(s["ib"])), s["child"], organisation=cjg, reason="Vaak moe", question="Slaapritme"
    )
    if state == S.WITHDRAWN:
        return services.withdraw_referral(Actor(fresh(s["ib"])), referral)
    if state == S.WAITING_CONSENT:
        return referral
    consent_services.sign(referral.consent, s["mother"])
    referral.refresh_from_db()
    if state == S.DECLINED:
        return services.decline_referral(Actor(fresh(s["colleague"])), referral, "Past niet")
    if state in (S.ACCEPTED, S.ASSIGNED):
        services.accept_referral(Actor(fresh(s["colleague"])), referral)
    if state == S.ASSIGNED:
        services.assign_referral(Actor(fresh(s["colleague"])), Referral.objects.get(pk=referral.pk), s["worker"])
    referral.refresh_from_db()
    return referral


@pytest.mark.parametrize("state", list(EXPECTED))
def test_referral_state_matrix(story, state):
    s = story
    referral = _in_state(s, state)
    assert referral.status == state
    for person, allowed in EXPECTED[state].items():
        for what, (action, category) in CHECKS.items():
            got = decide(fresh(s[person]), action, s["child"], category).allowed
            assert got == (what in allowed), (state, person, what)


@pytest.mark.parametrize("state", [S.SENT, S.ACCEPTED, S.ASSIGNED])
def test_refusals_in_a_referral_state_are_logged(story, state):
    s = story
    _in_state(s, state)
    for person in ("stranger", "colleague"):
        with pytest.raises(PermissionDenied):
            authorize(Actor(fresh(s[person])), A.VIEW, s["child"], Category.SUPPORT)
        assert AccessLogEntry.objects.filter(actor_id=s[person].pk, child_id=s["child"].pk, allowed=False).exists()
