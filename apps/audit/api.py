from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from apps.access.api import api_child
from apps.access.policy import Action

from .describe import describe_lines
from .family import readable_entries, verify_for_family
from .models import AccessLogEntry


class AccessLogSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="The sentence the family's log page shows for this entry.")
    consent_url = serializers.SerializerMethodField(help_text="The consent this entry names, on the consent page.")

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
            "purpose",
            "responsible_name",
            "access_point",
            "text",
            "consent_url",
        ]
        read_only_fields = fields

    def _line(self, obj):
        lines = self.context.get("lines") or {}
        if obj.pk not in lines:  # a single entry outside a listed page
            lines[obj.pk] = describe_lines([obj], folded=False)[0]
        return lines[obj.pk]

    def get_text(self, obj) -> str:
        return self._line(obj).text

    def get_consent_url(self, obj) -> str:
        return self._line(obj).consent_url


class ChildAccessLog(generics.ListAPIView):
    """The child's access log, one item per entry, with the same sentences as the family's log page (unfolded).
    Like the page, the family's own views are left out unless `eigen=tonen` (docs/audit-log.md)."""

    serializer_class = AccessLogSerializer

    @extend_schema(
        responses=AccessLogSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "eigen", OpenApiTypes.STR, enum=["tonen"], description="'tonen': include the family's own views."
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        child = api_child(self.request, self.kwargs["child_id"], Action.VIEW_LOG, label=_("het logboek (API)"))
        self.child = child
        own_reads = self.request.query_params.get("eigen") == "tonen"
        return readable_entries(self.request.user, child, own_reads=own_reads)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        entries = list(page if page is not None else queryset)
        lines = describe_lines(entries, child=self.child, folded=False)
        serializer = self.get_serializer(
            entries, many=True, context={**self.get_serializer_context(), "lines": {ln.entry.pk: ln for ln in lines}}
        )
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


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
