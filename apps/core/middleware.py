from django.conf import settings


class NoStoreMiddleware:
    """Pages with children's data must not linger in shared caches or the browser's back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` on every response: camera, microphone, location and the like stay off, so a
    script that slipped in cannot switch them on (settings.PERMISSIONS_POLICY, docs/security.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
