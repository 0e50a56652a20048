from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _restore_guards(sender, using, **kwargs):
    from django.db import connections

    from . import guards

    guards.ensure(connections[using])


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self):
        post_migrate.connect(_restore_guards, sender=self, dispatch_uid="audit-restore-guards")
