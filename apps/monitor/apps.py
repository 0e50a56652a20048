from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "apps.monitor"
    label = "monitor"

    def ready(self):
        from apps.knowledge.services import register_linkable

        from .models import Finding
        from .permissions import may_link_finding

        register_linkable(Finding, may_link_finding)
