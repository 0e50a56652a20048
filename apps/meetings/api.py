"""REST endpoints: meetings, their groups (theme tables) and actions, for staff of the school."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error, stale_response
from apps.core.versioning import StaleEdit

from . import services
from .models import ActionItem, AgendaItem, Invitation, Meeting, Table
from .permissions import organising_schools
from .serializers import (
    ActionCreateSerializer,
    ActionSerializer,
    ActionTeamAddSerializer,
    ActionUpdateSerializer,
    AgendaItemConflictSerializer,
    AgendaItemCreateSerializer,
    AgendaItemPatchSerializer,
    AgendaItemSerializer,
    DivideSerializer,
    MeetingConflictSerializer,
    MeetingCreateSerializer,
    MeetingInvitationSerializer,
    MeetingPatchSerializer,
    MeetingRsvpSerializer,
    MeetingSerializer,
    TableSerializer,
    ThemeCreateSerializer,
    ThemeSerializer,
)


def organised_meetings(user):
    """The meetings this user may see and manage through the API: those of schools where they organise
    (permissions.organising_schools, the same rule as the pages). Anyone else gets 404, not a hint it exists."""
    return (
        Meeting.objects.filter(school__in=organising_schools(user))
        .select_related("school")
        .prefetch_related("agenda", "themes", "action_team")
    )


def organised_meeting(request, meeting_id) -> Meeting:
    return get_object_or_404(organised_meetings(request.user), pk=meeting_id)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings of the schools where the caller works; staff create them, invited people answer (RSVP)."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        return organised_meetings(self.request.user).order_by("-starts_at", "pk")

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

    @extend_schema(
        request=MeetingPatchSerializer,
        responses={
            200: MeetingSerializer,
            409: OpenApiResponse(MeetingConflictSerializer, description="Stale version: the current meeting"),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        """Change the details with the web form's rules: the answer deadline before the start, and a stale
        `version` refused (409 with the current meeting) instead of overwriting someone else's change."""
        meeting = self.get_object()
        data = MeetingPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        try:
            services.update_meeting(meeting, version=version, **fields)
        except StaleEdit as e:
            return stale_response(e, MeetingSerializer, self.get_queryset().get(pk=meeting.pk))
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data)

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
        return organised_meeting(request, meeting_id)

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


class MeetingAgendaView(APIView):
    """Add an agenda item; one that overlaps another is refused in Dutch (touching is fine)."""

    @extend_schema(request=AgendaItemCreateSerializer, responses={201: AgendaItemSerializer})
    def post(self, request, meeting_id):
        meeting = organised_meeting(request, meeting_id)
        data = AgendaItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = services.add_agenda_item(meeting, **data.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class MeetingAgendaItemView(APIView):
    """Change or remove one agenda item of a meeting."""

    def _item(self, request, meeting_id, item_id) -> AgendaItem:
        meeting = organised_meeting(request, meeting_id)
        return get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id, meeting=meeting)

    @extend_schema(
        request=AgendaItemPatchSerializer,
        responses={
            200: AgendaItemSerializer,
            409: OpenApiResponse(AgendaItemConflictSerializer, description="Stale version: the current item"),
        },
    )
    def patch(self, request, meeting_id, item_id):
        """Fields not sent keep their value; an overlap gives 400, a stale `version` 409 with the current item."""
        item = self._item(request, meeting_id, item_id)
        data = AgendaItemPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        fields = {
            name: changes.get(name, getattr(item, name)) for name in ("start", "duration", "topic", "who", "remark")
        }
        try:
            services.update_agenda_item(item, version=version, **fields)
        except StaleEdit as e:
            return stale_response(e, AgendaItemSerializer, AgendaItem.objects.get(pk=item.pk))
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request, meeting_id, item_id):
        self._item(request, meeting_id, item_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingThemesView(APIView):
    """Add a theme (with its questions) for the theme tables."""

    @extend_schema(request=ThemeCreateSerializer, responses={201: ThemeSerializer})
    def post(self, request, meeting_id):
        meeting = organised_meeting(request, meeting_id)
        data = ThemeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        theme = services.add_theme(meeting, **data.validated_data)
        return Response(ThemeSerializer(theme).data, status=status.HTTP_201_CREATED)


class MeetingActionTeamView(APIView):
    """Add a colleague of the school to the meeting's action team."""

    @extend_schema(request=ActionTeamAddSerializer, responses={201: MeetingSerializer})
    def post(self, request, meeting_id):
        meeting = organised_meeting(request, meeting_id)
        data = ActionTeamAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.add_to_action_team(meeting, data.validated_data["user"])
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(MeetingSerializer(organised_meeting(request, meeting_id)).data, status=status.HTTP_201_CREATED)


class MeetingActionsView(APIView):
    """Create an action from a meeting (optionally from one outcome at its tables), as on the web page:
    owner a colleague of the school, werkprincipes by name. Progress and status go through /updates/."""

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def post(self, request, meeting_id):
        meeting = organised_meeting(request, meeting_id)
        data = ActionCreateSerializer(data=request.data, meeting=meeting)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        owner = request.user
        if "owner" in values:
            owner = get_user_model().objects.filter(pk=values["owner"]).first()  # the service refuses non-staff
        try:
            action_item = services.create_meeting_action(
                meeting,
                by=request.user,
                title=values["title"],
                owner=owner,
                principle_names=values["principles"],
                outcome=values.get("outcome"),
                theme=values.get("theme"),
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(ActionSerializer(action_item).data, status=status.HTTP_201_CREATED)


def register(router) -> list:
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("meeting-actions", ActionViewSet, basename="meeting-action")
    return [
        path("meetings/<int:meeting_id>/groups/", MeetingGroupsView.as_view(), name="meeting-groups"),
        path("meetings/<int:meeting_id>/agenda/", MeetingAgendaView.as_view(), name="meeting-agenda"),
        path(
            "meetings/<int:meeting_id>/agenda/<int:item_id>/",
            MeetingAgendaItemView.as_view(),
            name="meeting-agenda-item",
        ),
        path("meetings/<int:meeting_id>/themes/", MeetingThemesView.as_view(), name="meeting-themes"),
        path("meetings/<int:meeting_id>/action-team/", MeetingActionTeamView.as_view(), name="meeting-action-team"),
        path("meetings/<int:meeting_id>/actions/", MeetingActionsView.as_view(), name="meeting-actions-create"),
    ]
