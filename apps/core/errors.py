"""Error pages: HTML for people, JSON for the API.

DRF answers its own errors in JSON, but a URL under /api/ that matches no route, or an error that escapes a
view, reaches Django's handlers. Those answer an API client in JSON too (`{"detail": ...}`, like DRF), so a
client never has to parse the HTML error page. Pages keep Django's views with our templates.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_exception_handler(exc, context):
    """DRF's handler, except that a Django 404 says "Niet gevonden." in the caller's language instead of
    `get_object_or_404`'s English "No Child matches the given query." (which also names the model)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    return exception_handler(exc, context)


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Dit verzoek is ongeldig.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": str(exception) or _("U heeft hier geen toegang toe.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Niet gevonden.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Er ging iets mis aan onze kant. Probeer het later opnieuw.")}, status=500)
    return defaults.server_error(request)
