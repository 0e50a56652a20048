"""The admin log: every administrative action, appended once, never changed (docs/onboarding-organisations.md).

Who reads which part is decided in `permissions.admin_log_for`. Descriptions are Dutch sentences about
organisations and staff; they never name a pupil or carry anything from a child's file.
"""

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AdminLogEntry, Board, CareOrganisation, School


def record(
    *,
    by,
    action: str,
    description,
    params: dict | None = None,
    obj=None,
    board: Board | None = None,
    school: School | None = None,
    organisation: CareOrganisation | None = None,
) -> AdminLogEntry:
    """Append one entry. `description` is a lazy Dutch msgid with %-style `params`: the log is kept in Dutch
    whatever language the actor reads. An entry about a school also carries its board, so the board reads it."""
    if school is not None and board is None:
        board = school.board
    with translation.override(settings.LANGUAGE_CODE):
        params = {key: str(value) for key, value in (params or {}).items()}
        text = str(description) % params if params else str(description)
    return AdminLogEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        actor_name=(str(getattr(by, "full_name", "") or getattr(by, "email", "")) or "systeem")[:150],
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        board=board,
        school=school,
        organisation=organisation,
        description=text[:500],
    )


DJANGO_ADMIN_VERBS = {
    ADDITION: gettext_lazy("toegevoegd"),
    CHANGE: gettext_lazy("gewijzigd"),
    DELETION: gettext_lazy("verwijderd"),
}


@receiver(post_save, sender=LogEntry, dispatch_uid="organisations.django_admin_to_admin_log")
def copy_django_admin_action(sender, instance: LogEntry, created: bool, **kwargs):
    """Every action on /beheer/ also lands in the admin log. Only the kind of object and its id are kept,
    never its text (`object_repr`), so no content of any record reaches the log."""
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(model._meta.verbose_name) if model is not None else _("onbekend object")
        description = _("Via /beheer/: %(kind)s #%(id)s %(verb)s.") % {
            "kind": kind,
            "id": instance.object_id or "-",
            "verb": DJANGO_ADMIN_VERBS.get(instance.action_flag, DJANGO_ADMIN_VERBS[CHANGE]),
        }
    AdminLogEntry.objects.create(
        actor=instance.user,
        actor_name=(instance.user.full_name or instance.user.email)[:150],
        action=AdminLogEntry.Action.DJANGO_ADMIN,
        object_type=model._meta.model_name if model is not None else "",
        object_id=str(instance.object_id or "")[:50],
        description=description[:500],
    )
