from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.access.api import api_child, as_api_error
from apps.access.policy import Action, authorize, log_list, visible_children
from apps.access.shortcuts import load_child
from apps.audit.log import Actor
from apps.referrals.selectors import circle_members

from . import information
from .models import InformationRequest
from .serializers import (
    ChildSerializer,
    CircleSerializer,
    InformationDecisionSerializer,
    InformationRequestSerializer,
)


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


class InformationRequestViewSet(viewsets.GenericViewSet):
    """Information on request (BW 1:377c): the requester's own requests and those the caller may decide
    (IB'er, director); the same services, policy and access log as the pages."""

    serializer_class = InformationRequestSerializer

    def get_queryset(self):
        user = self.request.user
        return (
            (information.my_requests(user) | information.requests_to_decide(user))
            .distinct()
            .order_by("-requested_at", "-pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        others = {r.child_id: r.child for r in page if r.requester_id != request.user.pk}
        log_list(Actor.from_request(request, "api"), others.values(), label=_("de informatieverzoeken (API)"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        info = get_object_or_404(self.get_queryset(), pk=pk)
        if info.requester_id != request.user.pk:  # the school reads a request about a pupil: logged
            authorize(
                Actor.from_request(request, "api"),
                Action.DECIDE_INFORMATION,
                info.child,
                obj=info,
                label=_("een informatieverzoek (API)"),
            )
        return Response(self.get_serializer(info).data)

    def create(self, request):
        data = InformationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        child = load_child(data.validated_data["child"].pk)
        try:
            info = information.request_information(
                Actor.from_request(request, "api"), child, data.validated_data.get("question", "")
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(InformationRequestSerializer(info).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InformationDecisionSerializer, responses=InformationRequestSerializer)
    @action(detail=True, methods=["post"], serializer_class=InformationDecisionSerializer)
    def decide(self, request, pk=None):
        info = get_object_or_404(InformationRequest.objects.select_related("child"), pk=pk)
        data = InformationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            info = information.decide_request(
                Actor.from_request(request, "api"), info, grant=d["grant"], ground=d["ground"], reason=d["reason"]
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(InformationRequestSerializer(info).data)


def register(router) -> list:
    router.register("children", ChildViewSet, basename="child")
    router.register("information-requests", InformationRequestViewSet, basename="information-request")
    return []
