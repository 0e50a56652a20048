from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"

    def ready(self):
        # An agreement can be linked to the knowledge base by whoever may change it (docs/learning.md).
        from apps.knowledge.services import register_linkable

        from .models import Agreement
        from .permissions import may_link_agreement

        register_linkable(Agreement, may_link_agreement)
