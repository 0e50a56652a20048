"""The admin log as JSON (/api/v1/admin-log/): the same part of the log the page shows to the same person."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers

from apps.accounts.security_events import log_event

from . import permissions
from .models import AdminLogEntry


class AdminLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminLogEntry
        fields = ["id", "at", "actor_name", "action", "object_type", "object_id", "board", "school", "organisation"]
        fields += ["description"]
        read_only_fields = fields


class AdminLogList(generics.ListAPIView):
    serializer_class = AdminLogSerializer

    @extend_schema(responses=AdminLogSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not permissions.may_read_admin_log(self.request.user):
            log_event("admin_refused", "refused the admin log", request=self.request, user_id=self.request.user.pk)
            raise exceptions.PermissionDenied()
        return permissions.admin_log_for(self.request.user).order_by("-at", "-pk")


def register(router) -> list:
    return [path("admin-log/", AdminLogList.as_view(), name="admin-log")]
