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
