from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from apps.access.api import api_child
from apps.access.policy import Action

from .describe import describe
from .family import readable_entries
from .models import AccessLogEntry


class AccessLogSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()

    class Meta:
        model = AccessLogEntry
        fields = [
            "id",
            "at",
            "actor_name",
            "actor_role",
            "actor_organisation",
            "category",
            "object_label",
            "action",
            "allowed",
            "basis",
            "consent",
            "channel",
            "text",
        ]
        read_only_fields = fields

    def get_text(self, obj) -> str:
        return describe(obj)


class ChildAccessLog(generics.ListAPIView):
    serializer_class = AccessLogSerializer

    @extend_schema(responses=AccessLogSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        child = api_child(self.request, self.kwargs["child_id"], Action.VIEW_LOG, label=_("het logboek (API)"))
        return readable_entries(self.request.user, child)


def register(router) -> list:
    return [path("children/<int:child_id>/access-log/", ChildAccessLog.as_view(), name="child-access-log")]
