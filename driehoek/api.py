"""The REST API under /api/v1/: each domain app registers its own endpoints."""

from importlib import import_module

from django.conf import settings
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
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
