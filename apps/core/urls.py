from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views, webapp

FAVICON = RedirectView.as_view(url=static("img/favicon-32.png"), permanent=True, http_method_names=["get", "head"])

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("aandacht/", views.attention, name="attention"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("taken/<int:job_id>/", views.job, name="job"),
    # The installable web app (apps/core/webapp.py). The service worker sits at the root to cover every page.
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("sw.js", webapp.service_worker, name="service_worker"),
    path("offline/", webapp.offline, name="offline"),
    path("favicon.ico", FAVICON, name="favicon"),
]
