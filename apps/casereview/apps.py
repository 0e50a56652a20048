from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "apps.casereview"
    label = "casereview"
    verbose_name = "Casusreview"

    def ready(self):
        # An action point can be linked to the knowledge base by whoever runs the review (docs/learning.md).
        from apps.knowledge.services import register_linkable

        from .models import ActionPoint
        from .permissions import may_link_action_point

        register_linkable(ActionPoint, may_link_action_point)
