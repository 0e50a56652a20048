"""REST endpoints: meetings, their groups (theme tables) and actions, for staff of the school."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error

from . import services
from .models import ActionItem, Invitation, Meeting, Table
from .rules import organising_schools
from .serializers import (
    ActionSerializer,
    ActionUpdateSerializer,
    DivideSerializer,
    MeetingCreateSerializer,
    MeetingInvitationSerializer,
    MeetingRsvpSerializer,
    MeetingSerializer,
    TableSerializer,
)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings of the schools where the caller works; staff create them, invited people answer (RSVP)."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        return (
            Meeting.objects.filter(school__in=organising_schools(self.request.user))
            .select_related("school")
            .prefetch_related("agenda", "themes")
            .order_by("-starts_at", "pk")
        )

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer, 403: None})
    def create(self, request, *args, **kwargs):
        """The same rules as the web form: only at a school where the caller organises, deadline before start."""
        schools = organising_schools(request.user)
        if not schools.exists():
            raise PermissionDenied(_("Alleen medewerkers van een school organiseren bijeenkomsten."))
        data = MeetingCreateSerializer(data=request.data, schools=schools)
        data.is_valid(raise_exception=True)
        try:
            meeting = services.create_meeting(by=request.user, **data.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingSerializer(meeting).data, status=201)

    @extend_schema(request=MeetingRsvpSerializer, responses=MeetingInvitationSerializer)
    @action(detail=True, methods=["post"], url_path="rsvp")
    def rsvp(self, request, pk=None):
        """The caller's own answer to their invitation; after the deadline it is refused in Dutch."""
        invitation = get_object_or_404(
            Invitation.objects.select_related("meeting", "user"), meeting_id=pk, user=request.user
        )
        data = MeetingRsvpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.respond(invitation, data.validated_data["reply"])
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(MeetingInvitationSerializer(invitation).data)


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions (with working principles and status) of the schools where the caller works."""

    serializer_class = ActionSerializer

    def get_queryset(self):
        return (
            ActionItem.objects.filter(school__in=organising_schools(self.request.user))
            .select_related("owner", "theme")
            .prefetch_related("principles")
            .order_by("number", "pk")
        )

    @extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"], url_path="updates")
    def updates(self, request, pk=None):
        """A progress update (with the status); a stale version is refused, not overwritten."""
        item = self.get_object()
        data = ActionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.add_update(item, by=request.user, **data.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        item.refresh_from_db()
        return Response(ActionSerializer(item).data, status=201)


class MeetingGroupsView(APIView):
    """The stored division into theme tables; POST divides anew (Dutch reasons when impossible)."""

    def _meeting(self, request, meeting_id):
        return get_object_or_404(Meeting, pk=meeting_id, school__in=organising_schools(request.user))

    def _tables(self, meeting):
        members = Prefetch("members", queryset=Invitation.objects.select_related("user").order_by("pk"))
        return Table.objects.filter(meeting=meeting).select_related("theme").prefetch_related(members)

    @extend_schema(responses=TableSerializer(many=True))
    def get(self, request, meeting_id):
        meeting = self._meeting(request, meeting_id)
        return Response(TableSerializer(self._tables(meeting), many=True).data)

    @extend_schema(request=DivideSerializer, responses=TableSerializer(many=True))
    def post(self, request, meeting_id):
        meeting = self._meeting(request, meeting_id)
        data = DivideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.divide_into_tables(meeting, data.validated_data["n_groups"])
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(TableSerializer(self._tables(meeting), many=True).data, status=201)


def register(router) -> list:
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("meeting-actions", ActionViewSet, basename="meeting-action")
    return [path("meetings/<int:meeting_id>/groups/", MeetingGroupsView.as_view(), name="meeting-groups")]
