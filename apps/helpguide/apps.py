from django.apps import AppConfig


class HelpguideConfig(AppConfig):
    name = "apps.helpguide"
    label = "helpguide"
