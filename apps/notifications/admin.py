"""The e-mail outbox in the Django admin: what is queued, sent or given up, without showing any content."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "attempts", "created_at", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status"]
    ordering = ["-created_at", "-pk"]
    fields = ["status", "attempts", "created_at", "next_attempt_at", "sent_at", "last_error", "notification"]
    readonly_fields = fields
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Opnieuw proberen"), permissions=["retry"])
    def retry_now(self, request, queryset):
        """Give mails that were given up a fresh set of attempts, due at once. Queued mails are left alone:
        one may be in the middle of being sent."""
        count = queryset.filter(status=OutgoingMail.Status.FAILED).update(
            status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(n)s e-mail(s) staan weer in de wachtrij.") % {"n": count})

    def has_retry_permission(self, request):
        return request.user.is_superuser
