"""The groeidocument's and the family plan's rules as plain functions (docs/opp.md).

What goes with the request to the samenwerkingsverband: each parent with confirmed gezag chooses the
consent categories (apps/consent) that may go; only what *every* one of them allowed goes (the newest
answer of each counts). Without an answer of every such parent nothing is exported. A record that a
youth-care organisation (or another school) recorded goes only when, besides the family's choice, the
policy lets the school see it: a valid consent to the school for that category (docs/record-owner.md).
"""

from dataclasses import dataclass, field

# The categories a family can let go with the request; basic data (name, date of birth, school, group) and
# the groeidocument itself always go, they are the request.
EXPORTABLE = ("support", "development", "health")


@dataclass
class ExportState:
    required: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # user ids of parents who have not answered
    categories: list = field(default_factory=list)  # what every required parent allowed

    @property
    def complete(self) -> bool:
        return bool(self.required) and not self.missing


def export_state(required_ids, answers) -> ExportState:
    """`answers`: (user id, categories) in the order given; the newest answer of each parent counts. A
    parent who lost gezag no longer counts; a parent whose gezag was confirmed since must answer too."""
    newest: dict = {}
    for user_id, categories in answers:
        newest[user_id] = {c for c in categories if c in EXPORTABLE}
    state = ExportState(required=list(required_ids))
    chosen = None
    for user_id in required_ids:
        if user_id not in newest:
            state.missing.append(user_id)
            continue
        chosen = newest[user_id] if chosen is None else chosen & newest[user_id]
    if state.complete:
        state.categories = [c for c in EXPORTABLE if c in (chosen or set())]
    return state


def goes_with_request(category: str, state: ExportState, school_may_see: bool) -> bool:
    """One record in the export: the family allowed its category, and the school may see it (for what
    youth care recorded: only with a consent to the school, the owners' consent)."""
    return state.complete and category in state.categories and school_may_see


def youth_care_involved(outside_professionals: int, family_goals: int) -> bool:
    """The plan page shows the goals per life domain when youth care is involved (an outside professional
    through a valid consent) or the family has written its own plan."""
    return outside_professionals > 0 or family_goals > 0


def by_life_domain(domains, family_goals, goals) -> list[dict]:
    """The plan per life domain, in the fixed order of `domains` ((value, label) pairs): the family's own
    goals first, the professionals' goals beside them. Goals without a domain come last, under ""."""
    rows = []
    for value, label in [*domains, ("", "")]:
        fam = [f for f in family_goals if f.life_domain == value]
        prof = [g for g in goals if (g.life_domain or "") == value]
        if fam or prof:
            rows.append({"domain": value, "label": label, "family_goals": fam, "goals": prof})
    return rows


def family_text_writable_by(is_family: bool) -> bool:
    """The family's own words are the family's: a professional never writes or overwrites them."""
    return is_family
