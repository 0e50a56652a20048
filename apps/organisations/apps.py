from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "apps.organisations"
    label = "organisations"

    def ready(self):
        from . import adminlog  # noqa: F401 - connects the /beheer/ → admin-log signal
