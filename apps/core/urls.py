from django.urls import path

from . import views, webapp

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
    path("favicon.ico", webapp.favicon, name="favicon"),
]
