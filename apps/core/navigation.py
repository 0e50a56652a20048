"""The main menu per role: a few primary tabs (the phone's bottom bar) and "Meer" for the rest.

Built from the apps' own menu links (`apps/<app>/links.py`, see apps/core/extensions.py) plus the core
pages, so every link stays reachable: what is not a primary tab of this person's role is under "Meer".
No queries of its own: roles and guardianships come from the access policy's memo of this request,
the unread counts from the context processor and the messaging link. See docs/web-app.md ("Navigation").
"""

from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.access.policy import guardianships_of, memberships_of
from apps.organisations.models import Role

from . import extensions


class NavItem(NamedTuple):
    key: str  # a stable name, used to pick the primary tabs and by tests
    label: str
    url: str
    icon: str
    count: int | None = None


# The four primary tabs per kind of user, in order (issue 15: what each does most).
PRIMARY = {
    "parent": ("home", "messages", "conversations", "child"),
    "teacher": ("class", "register", "messages", "conversations"),
    "ib": ("attention", "pupils", "signals", "messages"),
    "professional": ("home", "messages", "conversations", "notifications"),
}

# Icons of the apps' menu links, by URL name; any other link gets a plain chevron.
_ICONS = {
    "messaging:inbox": "mail",
    "conversations:list": "message-circle",
    "attendance:register_index": "list-checks",
    "attendance:signals": "triangle-alert",
    "attendance:overview_index": "clipboard-list",
    "attendance:sick_report": "heart-handshake",
    "helpguide:guide": "book-open",
    "meetings:index": "calendar-days",
    "planner:index": "calendar-days",
    "plans:mine": "clipboard-list",
    "schooloffice:pupils": "school",
    "enrolment:index": "file-text",
    "privacy:inbox": "shield",
    "referrals:organisation_consents": "circle-check",
    "referrals:ask_to_join": "send",
    "referrals:join_requests": "users",
    "referrals:referral_list": "send",
    "referrals:response_times": "clock",
    "organisations:platform": "school",
    "organisations:staff_home": "users",
    "organisations:organisation_staff_home": "users",
    "organisations:admin_log": "eye",
    "messaging:balance": "heart-handshake",
}


def kind_of_user(user) -> str:
    roles = {m.role for m in memberships_of(user)}
    if Role.IB in roles:
        return "ib"
    if Role.TEACHER in roles:
        return "teacher"
    if roles:
        return "professional"
    return "parent"


def _app_items(user) -> list[NavItem]:
    from django.urls import resolve

    items = []
    for link in extensions.nav_links(user):
        try:
            match = resolve(link.url.split("?")[0])
            name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        except Exception:  # a link outside our URLs
            name = link.url
        key = {
            "messaging:inbox": "messages",
            "conversations:list": "conversations",
            "attendance:register_index": "register",
            "attendance:signals": "signals",
        }.get(name, name)
        items.append(NavItem(key, link.label, link.url, _ICONS.get(name, "chevron-right"), link.count))
    return items


def menu(user, unread_notifications: int = 0) -> dict:
    """{'primary': [...], 'more': [...]} for a signed-in user; every link appears exactly once."""
    kind = kind_of_user(user)
    home = reverse("core:home")
    core = [
        NavItem("home", _("Start"), home, "house"),
        NavItem("notifications", _("Meldingen"), reverse("notifications:inbox"), "bell", unread_notifications),
    ]
    if kind == "parent":
        children = list(guardianships_of(user))
        if len(children) == 1:
            core.append(NavItem("child", _("Mijn kind"), reverse("circles:detail", args=[children[0]]), "baby"))
        elif children:
            core.append(NavItem("child", _("Mijn kinderen"), f"{home}#kids", "users"))
    if kind == "teacher":
        core.append(NavItem("class", _("Mijn klas"), f"{home}#pupils", "users"))
    if kind == "ib":
        core.append(NavItem("attention", _("Aandacht"), reverse("core:attention"), "circle-alert"))
        core.append(NavItem("pupils", _("Leerlingen"), f"{home}#pupils", "users"))
    items = core + _app_items(user) + [NavItem("security", _("Beveiliging"), reverse("mfa_index"), "shield")]
    by_key = {}
    for item in items:
        by_key.setdefault(item.key, item)
    primary = [by_key[key] for key in PRIMARY[kind] if key in by_key]
    chosen = {item.key for item in primary}
    more = [item for item in by_key.values() if item.key not in chosen]
    return {"primary": primary, "more": more}


# The child page's tiles: an icon per kind of page, by URL name (any other link gets a chevron).
_TILE_ICONS = {
    "timeline:child": "clock",
    "plans:child": "clipboard-list",
    "conversations:list": "message-circle",
    "conversations:new": "calendar-days",
    "messaging:child": "mail",
    "consent:page": "circle-check",
    "consent:parent_view": "eye",
    "audit:child_log": "eye",
    "attendance:child": "heart-handshake",
    "planner:book": "calendar-days",
    "privacy:child": "shield",
    "referrals:referral_new": "send",
    "referrals:child_referrals": "file-text",
}


def icon_for(url: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return "chevron-right"
    return _TILE_ICONS.get(f"{match.namespace}:{match.url_name}", "chevron-right")


def child_tiles(child, user, *, can_see_log: bool) -> list[dict]:
    """The tiles of the child page in a fixed order: consent, log, then every app's child links, each
    with its icon and one-line summary. No queries beyond the apps' own links and summaries."""
    tiles = [(_("Toestemmingen"), reverse("consent:page", args=[child.pk]))]
    if can_see_log:
        tiles.append((_("Logboek: wie keek er mee?"), reverse("audit:child_log", args=[child.pk])))
    tiles.extend(extensions.child_links(child, user))
    summaries = extensions.child_summaries(child, user)
    defaults = {
        tiles[0][1]: _("Waarvoor toestemming is gegeven"),
        reverse("audit:child_log", args=[child.pk]): _("Wie het dossier bekeek"),
    }
    return [
        {"label": label, "url": url, "icon": icon_for(url), "summary": summaries.get(url) or defaults.get(url, "")}
        for label, url in tiles
    ]
