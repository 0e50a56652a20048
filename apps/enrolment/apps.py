from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "apps.enrolment"
    label = "enrolment"
    verbose_name = "Import uit de leerlingadministratie"
