from django.apps import AppConfig

# Models whose writes change the menu counts of one person (apps/notifications/menu_counts.py): the field
# that names that person.
PERSONAL_COUNT_SOURCES = {"notifications.Notification": "user_id", "messaging.ReadReceipt": "user_id"}
PERSONAL_COUNT_SOURCES["plans.Agreement"] = "owner_id"


def _forget_person(field):
    def handler(sender, instance, **kwargs):
        from .menu_counts import forget

        forget([getattr(instance, field)])

    return handler


def _forget_child(path):
    def handler(sender, instance, **kwargs):
        from .menu_counts import forget_child

        obj = instance
        for part in path.split("__"):
            obj = getattr(obj, part, None)
        forget_child(obj)

    return handler


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from apps.access.apps import MEMO_SOURCES

        from .menu_counts import forget_everyone

        for label in MEMO_SOURCES:
            model = apps.get_model(label)
            post_save.connect(forget_everyone, sender=model, dispatch_uid=f"menu-counts-{label}-save")
            post_delete.connect(forget_everyone, sender=model, dispatch_uid=f"menu-counts-{label}-delete")
        membership_groups = apps.get_model("organisations.Membership").groups.through
        m2m_changed.connect(forget_everyone, sender=membership_groups, dispatch_uid="menu-counts-membership-groups")
        from .menu_counts import CHILD_SOURCES

        for label, path in CHILD_SOURCES.items():
            model = apps.get_model(label)
            handler = _forget_child(path)
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"tile-lines-{label}-save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"tile-lines-{label}-delete")
        for label, field in PERSONAL_COUNT_SOURCES.items():
            model = apps.get_model(label)
            handler = _forget_person(field)
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"menu-counts-{label}-save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"menu-counts-{label}-delete")
