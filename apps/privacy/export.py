"""Everything recorded about a child, for an inspection request (R5, R8) or the family's own download.

`collect` reads every section (working notes, attachments, consents, the circle's history and the access log
included), `redact` applies the coordinator's redaction step, `write_zip` writes the readable PDF, the JSON
and the attachments into one ZIP. Who may read what is decided before this module is called (services.py):
the coordinator's export of the whole file, or the family's download of the categories the policy allows.
See docs/inspection-and-retention.md."""

import json
import re
import zipfile
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.consent.models import Category

REDACTED = "[weggelaten]"


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    model: str  # "app_label.Model"
    child_path: str  # the lookup from the model to the child
    category: str = ""  # a fixed category, or
    category_field: str = ""  # the field whose value is the category, or
    category_map: tuple = ()  # (field, {value: category}) when a field's value decides it
    author: str = ""  # the field naming who recorded it (youth-care scope: outside professionals)
    family_hides: tuple = ()  # fields the family does not see in the app (professionals' working notes)
    family_filter: dict = field(default_factory=dict)  # extra filter for what the family sees
    parent: tuple = ()  # (field, parent section key): left out with its parent
    never: tuple = ()  # fields never exported (third parties' technical data, hashes, file paths)


def _conversation_kinds():
    from apps.conversations.models import KIND_CATEGORY

    return {k: str(v) for k, v in KIND_CATEGORY.items()}


B, D, S, H = (c.value for c in Category)
SECTIONS = [
    Section("child", _("Basisgegevens"), "circles.Child", "pk", B, never=("user",)),
    Section("guardianships", _("Ouders en verzorgers"), "circles.Guardianship", "child", B, never=("source_key",)),
    Section("circle", _("De kring, ook wie er vroeger in zat"), "circles.CircleMember", "child", B, author="user"),
    Section("handovers", _("Overdrachten"), "circles.CoordinatorHandover", "child", B, author="by"),
    Section("consents", _("Toestemmingen"), "consent.Consent", "child", B),
    Section(
        "consent_scopes",
        _("Waar toestemmingen voor gelden"),
        "consent.ConsentScope",
        "consent__child",
        B,
        parent=("consent", "consents"),
    ),
    Section(
        "consent_signatures",
        _("Handtekeningen"),
        "consent.ConsentSignature",
        "consent__child",
        B,
        parent=("consent", "consents"),
    ),
    Section(
        "consent_events",
        _("Geschiedenis van toestemmingen"),
        "consent.ConsentEvent",
        "consent__child",
        B,
        parent=("consent", "consents"),
    ),
    Section("parent_view_choices", _("Wat ouders zien (vanaf 16)"), "consent.ParentViewChoice", "child", B),
    Section("timeline", _("Tijdlijn"), "timeline.TimelineEntry", "child", category_field="category", author="author"),
    Section(
        "timeline_revisions",
        _("Eerdere versies van tijdlijnregels"),
        "timeline.TimelineRevision",
        "entry__child",
        category_field="category",
        author="replaced_by",
        parent=("entry", "timeline"),
    ),
    Section("goals", _("Doelen"), "plans.Goal", "child", S, author="created_by"),
    Section("agreements", _("Afspraken"), "plans.Agreement", "child", S, author="created_by"),
    Section("plan_changes", _("Geschiedenis van het plan"), "plans.PlanChange", "child", S, author="by"),
    Section(
        "conversations",
        _("Gesprekken, met werkaantekeningen"),
        "conversations.Conversation",
        "child",
        category_map=("kind", "conversations"),
        author="organiser",
        family_hides=("notes", "went_well", "concerns"),
    ),
    Section(
        "preparations",
        _("Voorbereidingen van gesprekken"),
        "conversations.Preparation",
        "conversation__child",
        category_map=("conversation__kind", "conversations"),
        author="filled_in_by",
        family_filter={"shared": True},
        parent=("conversation", "conversations"),
    ),
    Section(
        "threads",
        _("Gesprekken in berichten"),
        "messaging.Thread",
        "child",
        category_field="category",
        author="created_by",
    ),
    Section(
        "messages",
        _("Berichten"),
        "messaging.Message",
        "thread__child",
        category_field="thread__category",
        author="author",
        parent=("thread", "threads"),
    ),
    Section(
        "attachments",
        _("Bijlagen"),
        "messaging.Attachment",
        "message__thread__child",
        category_field="message__thread__category",
        parent=("message", "messages"),
        family_filter={"scan_state": "clean"},
        never=("file",),
    ),
    Section("sick_reports", _("Ziekmeldingen"), "attendance.SickReport", "child", H, author="reported_by"),
    Section("absences", _("Verzuim"), "attendance.Absence", "child", H, author="recorded_by"),
    Section("absence_signals", _("Verzuimsignalen"), "attendance.Signal", "child", H),
    Section("leave_requests", _("Verlofaanvragen"), "attendance.LeaveRequest", "child", H, author="requested_by"),
    Section(
        "statements",
        _("Zienswijzen van de familie"),
        "privacy.Statement",
        "child",
        category_field="category",
        author="author",
    ),
    Section(
        "corrections", _("Verzoeken om correctie"), "privacy.CorrectionRequest", "child", category_field="category"
    ),
    Section(
        "inspection_requests",
        _("Inzageverzoeken"),
        "privacy.InspectionRequest",
        "child",
        B,
        never=("file", "redact_terms", "omitted"),
    ),
    Section(
        "access_log",
        _("Logboek: wie keek er mee"),
        "audit.AccessLogEntry",
        "child",
        category_field="category",
        author="actor",
        never=("ip", "prev_hash", "hash", "scheme"),
    ),
]
SECTION_KEYS = {s.key for s in SECTIONS}
# Kept with the youth-care scope although no outside professional recorded them: the child's own details,
# the consents to youth care, and the access log of youth-care staff.
YOUTH_CARE_ALWAYS = {"child", "consents", "consent_scopes", "consent_signatures", "consent_events"}


def _model(section: Section):
    from django.apps import apps

    return apps.get_model(section.model)


def _category_q(section: Section, categories) -> dict | None:
    """The filter that keeps only rows in `categories`; None when nothing of the section is in them."""
    categories = set(categories)
    if section.category:
        return {} if section.category in categories else None
    if section.category_field:
        return {f"{section.category_field}__in": sorted(categories)}
    path, _which = section.category_map
    values = [k for k, v in _conversation_kinds().items() if v in categories]
    return {f"{path}__in": values} if values else None


def queryset(section: Section, child, *, categories=None, outside_user_ids=None, family=False):
    """The rows of one section: all of them for the coordinator's export, or the family's visible ones."""
    qs = _model(section).objects.filter(**{section.child_path: child.pk})
    if categories is not None:
        condition = _category_q(section, categories)
        if condition is None:
            return qs.none()
        qs = qs.filter(**condition)
    if family and section.family_filter:
        qs = qs.filter(**section.family_filter)
    if outside_user_ids is not None and section.key not in YOUTH_CARE_ALWAYS:
        if section.key == "access_log":
            qs = qs.filter(actor_id__in=outside_user_ids)
        elif section.author:
            qs = qs.filter(**{f"{section.author}_id__in": outside_user_ids})
        else:
            qs = qs.none()
    return qs.order_by("pk")


def outside_users() -> list[int]:
    """Outside professionals (youth care, jeugdarts, leerplicht): what they recorded is youth-care data."""
    from apps.organisations.models import OUTSIDE_ROLES, Membership

    return list(Membership.objects.filter(role__in=OUTSIDE_ROLES).values_list("user_id", flat=True).distinct())


def count_items(child, **kwargs) -> dict[str, int]:
    return {s.key: queryset(s, child, **kwargs).count() for s in SECTIONS}


@dataclass
class Collected:
    sections: list  # [(Section, [record dicts])]
    attachments: list  # [(record, stored file name)]
    people: dict


def _user_fields(model) -> list[str]:
    user_model = get_user_model()
    return [f.attname for f in model._meta.fields if f.is_relation and f.related_model is user_model]


def collect(child, *, progress=None, **kwargs) -> Collected:
    """Every section's rows as plain values (a fixed number of queries per section, however many rows)."""
    sections, user_ids, files = [], set(), []
    for i, section in enumerate(SECTIONS):
        model = _model(section)
        hidden = set(section.never) | (set(section.family_hides) if kwargs.get("family") else set())
        names = [f.attname for f in model._meta.concrete_fields if f.name not in hidden and f.attname not in hidden]
        rows = list(
            queryset(section, child, **kwargs).values(*names, *(["file"] if section.key == "attachments" else []))
        )
        user_fields = _user_fields(model)
        for row in rows:
            user_ids.update(row[f] for f in user_fields if row.get(f))
            if section.key == "attachments":
                stored = row.pop("file")
                if stored:
                    files.append((row, stored))
        sections.append((section, rows, user_fields))
        if progress:
            progress(i + 1)
    people = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "full_name"))
    result = []
    for section, rows, user_fields in sections:
        for row in rows:
            for f in user_fields:
                if f in row:
                    uid = row.pop(f)
                    row[f.removesuffix("_id")] = people.get(uid, "") if uid else None
        result.append((section, rows))
    return Collected(result, files, people)


def redact(collected: Collected, terms: list[str], omitted: list[str]) -> Collected:
    """Leave out the marked items (with what hangs under them) and replace the third parties' words."""
    omitted = set(omitted)
    gone: dict[str, set] = {}
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I) if terms else None
    sections = []
    for section, rows in collected.sections:
        kept = []
        for row in rows:
            parent_gone = section.parent and row.get(f"{section.parent[0]}_id") in gone.get(section.parent[1], ())
            if f"{section.key}:{row['id']}" in omitted or parent_gone:
                gone.setdefault(section.key, set()).add(row["id"])
                continue
            if pattern is not None:
                row = {k: _redact_value(v, pattern) for k, v in row.items()}
            kept.append(row)
        sections.append((section, kept))
    gone_attachments = gone.get("attachments", set())
    files = [(row, f) for row, f in collected.attachments if row["id"] not in gone_attachments]
    return Collected(sections, files, collected.people)


def _redact_value(value, pattern):
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: _redact_value(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v, pattern) for v in value]
    return value


def as_json(child, collected: Collected, title: str) -> bytes:
    document = {
        "about": {"child_id": child.pk, "title": title, "made_at": timezone.now()},
        **{section.key: rows for section, rows in collected.sections},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def as_pdf(child, collected: Collected, title: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "privacy/export_print.html",
        {
            "child": child,
            "title": title,
            # One plain line per record: WeasyPrint lays out a paragraph far faster than a styled box per field.
            "sections": [
                (s, [" · ".join(f"{k}: {v}" for k, v in row.items() if v not in ("", None, [], {})) for row in rows])
                for s, rows in collected.sections
            ],
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()


def write_zip(out, child, collected: Collected, title: str) -> None:
    """The ZIP a family downloads: dossier.pdf (to read), dossier.json (everything, machine-readable), bijlagen/."""
    from django.core.files.storage import default_storage

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("dossier.json", as_json(child, collected, title))
        z.writestr("dossier.pdf", as_pdf(child, collected, title))
        for row, stored in collected.attachments:
            name = re.sub(r"[^\w.\- ]", "_", row.get("original_name") or "bijlage")
            try:
                with default_storage.open(stored, "rb") as f:
                    z.writestr(f"bijlagen/{row['id']}-{name}", f.read())
            except OSError:
                z.writestr(f"bijlagen/{row['id']}-{name}.ontbreekt.txt", "Het bestand is niet (meer) aanwezig.")
