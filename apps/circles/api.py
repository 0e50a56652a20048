from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.access.api import api_child
from apps.access.policy import log_list, visible_children
from apps.audit.log import Actor
from apps.referrals.selectors import circle_members

from .serializers import ChildSerializer, CircleSerializer


class ChildViewSet(viewsets.GenericViewSet):
    """Children the caller may see, through the same policy and access log as the web pages."""

    serializer_class = ChildSerializer

    def get_queryset(self):
        return (
            visible_children(self.request.user)
            .select_related("group", "school")
            .prefetch_related("guardianships")
            .order_by("last_name", "pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        log_list(Actor.from_request(request, "api"), page, label=_("de kinderenlijst (API)"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        child = api_child(request, pk, label=_("de basisgegevens (API)"))
        return Response(self.get_serializer(child).data)

    @extend_schema(responses=CircleSerializer)
    @action(detail=True, url_path="circle")
    def circle(self, request, pk=None):
        child = api_child(request, pk, label=_("de kring (API)"))
        members = circle_members(child)
        data = {
            "guardians": child.guardianships.select_related("user"),
            "members": members,
            "coordinator": next((m for m in members if m.is_coordinator), None),
        }
        return Response(CircleSerializer(data).data)


def register(router) -> list:
    router.register("children", ChildViewSet, basename="child")
    return []
