"""The REST API under /api/v1/: each domain app registers its own endpoints."""

from importlib import import_module

from django.conf import settings
from rest_framework.routers import DefaultRouter


class IntegerIdRouter(DefaultRouter):
    """Every id in the API is a whole number: a lookup like `children/AAA/` matches no route (a JSON 404)
    instead of reaching a view that hands "AAA" to the database. A viewset may still set its own
    `lookup_value_regex`."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not hasattr(viewset, "lookup_value_regex"):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>[0-9]+)"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = IntegerIdRouter()
extra_patterns = []
for app in settings.DOMAIN_APPS:
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as e:
        if e.name != f"{app}.api":
            raise
        continue
    if hasattr(module, "register"):
        extra_patterns += module.register(router)

urlpatterns = extra_patterns + router.urls
