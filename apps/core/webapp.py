"""The installable web app (issue 15 item 4): manifest, service worker and the offline page.

The service worker caches only static files and the offline page itself, never a page or an API answer
with a child's data: a phone that is lost or shared keeps nothing of a child in its cache. Log-out
clears the cache too (`Clear-Site-Data`, docs/security.md). See docs/web-app.md.
"""

import hashlib
import json

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

THEME_COLOUR = "#0b5cad"
BACKGROUND_COLOUR = "#f7f7f4"
# What the service worker keeps: the frame's own files, so the offline page looks like the app.
PRECACHED_STATIC = (
    "vendor/utrecht/components.css",
    "css/tokens.css",
    "css/driehoek.css",
    "js/htmx.min.js",
    "js/webapp.js",
    "img/icon.svg",
    "img/icon-192.png",
)


def icons() -> list[dict]:
    return [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]


def manifest_data() -> dict:
    return {
        "name": "Driehoek",
        "short_name": "Driehoek",
        "description": _("Ouders, school en jeugdhulp samen rond één kind."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons(),
    }


@cache_control(max_age=3600, public=True)
@require_safe
def manifest(request):
    body = json.dumps(manifest_data(), ensure_ascii=False)
    return HttpResponse(body, content_type="application/manifest+json; charset=utf-8")


def precache_urls() -> list[str]:
    return [reverse("core:offline"), *(static(path) for path in PRECACHED_STATIC)]


@cache_control(no_cache=True)
@require_safe
def service_worker(request):
    urls = precache_urls()
    # A new version whenever the static files change name (hashed in production), so old caches go.
    version = hashlib.sha256("|".join(urls).encode()).hexdigest()[:12]
    context = {"version": version, "precache": json.dumps(urls), "static_prefix": json.dumps(static(""))}
    context["offline_url"] = json.dumps(reverse("core:offline"))
    return render(request, "core/sw.js", context, content_type="text/javascript; charset=utf-8")


@cache_control(max_age=3600, public=True)
@require_safe
def offline(request):
    """A page without anything personal: the service worker shows it when the phone has no connection."""
    return render(request, "core/offline.html")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on their own; the file's (hashed) name is known only at request time."""
    return HttpResponsePermanentRedirect(static("img/favicon-32.png"))
