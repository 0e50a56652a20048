"""The OPP's rules as plain functions (docs/opp.md, docs/domain-rules.md R13).

Consent by version: the handelingsdeel is vastgesteld only when every parent who has confirmed gezag
*now* has consented to *this* version. An answer belongs to one version, so a new version asks again.
A parent who lost gezag in between is no longer asked, and their answer no longer counts either way; a
parent whose gezag was confirmed in between is asked too. Once a version was vastgesteld it stays so.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

OPP_WITHIN = timedelta(weeks=6)  # set within 6 weeks of the decision or of enrolment (R13)
EVALUATE_EVERY = 365  # days: evaluated with the parents at least once a year (R13)

CONSENT = "consent"
DECLINE = "decline"


@dataclass(frozen=True)
class Answer:
    user_id: int
    answer: str  # CONSENT or DECLINE
    reason: str = ""


@dataclass
class ConsentState:
    """Where one version stands with the parents who must consent now."""

    consented: list = field(default_factory=list)  # user ids of required parents who consented
    declined: list = field(default_factory=list)  # (user id, reason) of required parents who declined
    missing: list = field(default_factory=list)  # user ids of required parents without an answer
    required: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every required parent consented (and there is at least one)."""
        return bool(self.required) and not self.missing and not self.declined


def required_parent_ids(guardianships) -> list[int]:
    """The parents whose consent the handelingsdeel needs: gezag, confirmed by the school, active account."""
    return [
        g.user_id
        for g in guardianships
        if g.has_authority and g.authority_status == "confirmed" and getattr(g.user, "is_active", True)
    ]


def consent_state(required_ids, answers) -> ConsentState:
    """The state of one version, given who must consent now and the answers given to that version."""
    by_user = {a.user_id: a for a in answers}
    state = ConsentState(required=list(required_ids))
    for user_id in required_ids:
        answer = by_user.get(user_id)
        if answer is None:
            state.missing.append(user_id)
        elif answer.answer == CONSENT:
            state.consented.append(user_id)
        else:
            state.declined.append((user_id, answer.reason))
    return state


def may_answer(user_id, required_ids, answers) -> bool:
    """A required parent answers a version once."""
    return user_id in required_ids and all(a.user_id != user_id for a in answers)


def content_hash(content: dict) -> str:
    """SHA-256 over the snapshot in a canonical form: the same content always gives the same hash."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def opp_due_on(needed_since: date) -> date:
    return needed_since + OPP_WITHIN


def is_late(needed_since: date, established: bool, today: date) -> bool:
    """The OPP is late when 6 weeks passed and no version was ever vastgesteld."""
    return not established and today > opp_due_on(needed_since)


def evaluation_due_on(last_established_or_evaluated: date) -> date:
    return last_established_or_evaluated + timedelta(days=EVALUATE_EVERY)


def evaluation_date_is_valid(on: date, today: date) -> bool:
    """An evaluation is planned for today or later, never in the past."""
    return on >= today
