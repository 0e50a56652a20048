from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "apps.attendance"
    label = "attendance"
    verbose_name = "Verzuim en ziekmeldingen"

    def ready(self):
        from .permissions import register_purpose_grants

        register_purpose_grants()
