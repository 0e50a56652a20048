from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"

    def ready(self):
        # An action can be linked to the knowledge base by whoever organises the school's actions.
        from apps.knowledge.services import register_linkable

        from .models import ActionItem
        from .permissions import can_organise

        register_linkable(ActionItem, lambda user, action: can_organise(user, action.school))
