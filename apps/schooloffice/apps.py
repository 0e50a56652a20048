from django.apps import AppConfig


class SchoolofficeConfig(AppConfig):
    name = "apps.schooloffice"
    verbose_name = "Schoolbeheer"
