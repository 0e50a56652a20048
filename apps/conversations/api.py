"""REST endpoints: conversations under /api/v1/conversations/, and the caller's schedule as iCalendar."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error
from apps.access.policy import Action
from apps.accounts.languages import in_language_of
from apps.audit.log import Actor
from apps.circles.models import Child

from . import ical, services
from .models import Conversation
from .serializers import (
    CancelSerializer,
    ConversationCreateSerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
    RsvpSerializer,
)


class ConversationViewSet(viewsets.GenericViewSet):
    """Conversations the caller organises, takes part in, or that concern the caller's own child.
    Every read and write passes the same access policy and access log as the web pages."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Conversation.objects.none()
        return (
            services.conversations_for(self.request.user).prefetch_related("participants").order_by("-starts_at", "-pk")
        )

    def _get(self, request, pk, action=Action.VIEW) -> Conversation:
        conversation = get_object_or_404(
            Conversation.objects.select_related("child", "organiser").prefetch_related(
                "participants__user", "child__guardianships"
            ),
            pk=pk,
        )
        services._authorize(Actor.from_request(request, "api"), action, conversation)
        return conversation

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        services.log_shown(
            Actor.from_request(request, "api"), page, label=gettext_lazy("het gesprekkenoverzicht (API)")
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=ConversationDetailSerializer)
    def retrieve(self, request, pk=None):
        conversation = self._get(request, pk)
        return Response(ConversationDetailSerializer(conversation, context={"request": request}).data)

    @extend_schema(request=ConversationCreateSerializer, responses={201: ConversationSerializer})
    def create(self, request):
        data = ConversationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        child = get_object_or_404(
            Child.objects.select_related("school", "group").prefetch_related("guardianships"), pk=d["child"]
        )
        people = list(get_user_model().objects.filter(pk__in=d["participants"]))
        try:
            conversation = services.plan_conversation(
                Actor.from_request(request, "api"),
                child,
                kind=d["kind"],
                purpose=d["purpose"],
                starts_at=d["starts_at"],
                minutes=d["minutes"],
                place=d["place"],
                video_url=d["video_url"],
                participants=people,
                child_invited=d["child_invited"],
                child_not_invited_reason=d["child_not_invited_reason"],
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(self.get_serializer(conversation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RsvpSerializer, responses=ConversationSerializer)
    @action(detail=True, methods=["post"])
    def rsvp(self, request, pk=None):
        conversation = self._get(request, pk)
        data = RsvpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.rsvp(Actor.from_request(request, "api"), conversation, data.validated_data["answer"])
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(self.get_serializer(self._get(request, pk)).data)

    @extend_schema(request=CancelSerializer, responses=ConversationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        conversation = self._get(request, pk, Action.CHANGE)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.cancel(Actor.from_request(request, "api"), conversation, data.validated_data["reason"])
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(self.get_serializer(self._get(request, pk)).data)


class ScheduleFeed(APIView):
    """The caller's conversations as an iCalendar feed (session or token authentication)."""

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request):
        conversations = services.schedule_for(request.user)
        services.log_shown(Actor.from_request(request, "api"), conversations, label=gettext_lazy("de gespreksagenda"))
        with in_language_of(request.user):  # the feed owner's language (docs/languages.md)
            body = ical.calendar_for(conversations, name=_("Gesprekken"))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        return response


def register(router) -> list:
    router.register("conversations", ConversationViewSet, basename="conversation")
    return [path("schedule.ics", ScheduleFeed.as_view(), name="schedule-ics")]
