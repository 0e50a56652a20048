from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from apps.access.api import api_child
from apps.access.policy import Action

from .describe import describe
from .family import readable_entries, verify_for_family
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


class ChainCheckSerializer(serializers.Serializer):
    intact = serializers.BooleanField(help_text="the child's chain verifies: nothing changed, removed or inserted")
    anchored = serializers.BooleanField(help_text="compared with an anchor kept outside the database")


class ChildAccessLogCheck(generics.GenericAPIView):
    """The family's own check of the child's chain (as `?controleer=1` on the log page)."""

    serializer_class = ChainCheckSerializer

    @extend_schema(responses=ChainCheckSerializer)
    def get(self, request, child_id):
        child = api_child(request, child_id, Action.VIEW_LOG, label=_("de controle van het logboek (API)"))
        intact, anchored = verify_for_family(child)
        return Response(ChainCheckSerializer({"intact": intact, "anchored": anchored}).data)


def register(router) -> list:
    return [
        path("children/<int:child_id>/access-log/", ChildAccessLog.as_view(), name="child-access-log"),
        path("children/<int:child_id>/access-log/check/", ChildAccessLogCheck.as_view(), name="child-access-log-check"),
    ]
