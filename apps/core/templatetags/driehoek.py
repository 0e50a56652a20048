import functools
import re
from pathlib import Path

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from apps.core import extensions as links

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    return links.nav_links(context["request"].user)


@register.simple_tag(takes_context=True)
def child_links(context, child):
    return links.child_links(child, context["request"].user)


@register.simple_tag
def form_token():
    """A hidden one-time token: the view saves a double-submitted form once (apps.core.idempotency)."""
    from django.utils.html import format_html

    from apps.core.idempotency import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


# --- Icons: Lucide SVGs from static/vendor/lucide, inlined (docs/web-app.md, "Icons") ----------------

# Icons that point a direction; they are mirrored on right-to-left pages (static/css/driehoek.css).
DIRECTIONAL_ICONS = frozenset({"chevron-left", "chevron-right", "log-out", "send"})


@functools.lru_cache(maxsize=64)
def _icon_body(name: str) -> str:
    """The inner markup of a vendored Lucide icon (its paths), read once per process."""
    from django.contrib.staticfiles import finders

    path = finders.find(f"vendor/lucide/{name}.svg")
    if not path:
        raise template.TemplateSyntaxError(f"Unknown icon {name!r}: add it to ICONS in scripts/vendor_assets.py")
    svg = Path(path).read_text()
    match = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


@register.simple_tag
def icon(name: str, label: str = ""):
    """Inline a Lucide icon: `{% icon "house" %}` is decoration (aria-hidden), `{% icon "bell" label=_("Melding") %}`
    is an image with an accessible name. The size comes from CSS (`.icon`, 1.25em): no inline style (CSP)."""
    classes = "icon" + (" icon-mirror" if name in DIRECTIONAL_ICONS else "")
    a11y = format_html('role="img" aria-label="{}"', label) if label else mark_safe('aria-hidden="true"')
    return format_html(
        '<svg class="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false" {}>{}</svg>',
        classes,
        a11y,
        mark_safe(_icon_body(name)),  # noqa: S308 - our own vendored SVG file, never user input
    )


@register.filter
def initials(name: str) -> str:
    """'Noor van den Berg' -> 'NB': the first letters of the first and the last word, for an avatar."""
    words = [w for w in str(name or "").split() if w]
    if not words:
        return "?"
    first, last = words[0], words[-1]
    return (first[0] + (last[0] if len(words) > 1 else "")).upper()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The role's primary tabs and the rest ("Meer"), see apps/core/navigation.py."""
    from apps.core.navigation import menu

    return menu(context["request"].user, context.get("unread_notifications") or 0)


@register.simple_tag(takes_context=True)
def child_summaries(context, child):
    """{tile url: one-line summary} from every app (apps/core/extensions.py)."""
    return links.child_summaries(child, context["request"].user)


@register.simple_tag(takes_context=True)
def child_tiles(context, child, can_see_log=False):
    """The child page's tiles with icon and summary (apps/core/navigation.py)."""
    from apps.core.navigation import child_tiles as tiles

    return tiles(child, context["request"].user, can_see_log=can_see_log)
