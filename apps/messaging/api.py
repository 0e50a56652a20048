"""Threads, messages and announcements in /api/v1/: the same services, policy and access log as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from apps.access.api import api_child, as_api_error
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.organisations.models import Group, School
from apps.translation.fields import LANG_PARAMETER, TranslatedField, translated_fields, with_lang

from . import permissions, services
from .models import Announcement, Message, Thread


class ThreadSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    category = serializers.CharField(read_only=True, help_text="basic, development, support or health")
    translated = TranslatedField()

    class Meta:
        model = Thread
        fields = ["id", "child", "child_name", "category", "subject", "created_at", "last_message_at", "translated"]
        read_only_fields = ["id", "child_name", "created_at", "last_message_at"]


class NewThreadSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    # A plain string (one enum name for Category lives with the consent API); validated below.
    category = serializers.CharField(default=Category.BASIC, help_text="basic, development, support or health")
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000)
    tag = serializers.ChoiceField(choices=Message.Tag.choices, required=False, default="", allow_blank=True)

    def validate_category(self, value):
        if value not in Category.values:
            raise serializers.ValidationError(_("Onbekende soort informatie."))
        return value


class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    read_by = serializers.SerializerMethodField()
    translated = TranslatedField()

    class Meta:
        model = Message
        fields = ["id", "author_name", "body", "tag", "created_at", "read_by", "translated"]
        read_only_fields = ["id", "author_name", "created_at", "read_by"]

    def get_read_by(self, obj) -> list[str]:
        return [r.user.full_name for r in obj.receipts.all() if r.user_id != obj.author_id]


class AnnouncementSerializer(serializers.ModelSerializer):
    translated = TranslatedField()

    class Meta:
        model = Announcement
        fields = [
            "id",
            "school",
            "group",
            "title",
            "body",
            "is_newsletter",
            "requires_confirmation",
            "published_at",
            "translated",
        ]
        read_only_fields = ["id", "published_at"]
        extra_kwargs = {"school": {"queryset": School.objects.all()}, "group": {"queryset": Group.objects.all()}}


def _post(call):
    try:
        return call()
    except services.RateLimited as e:
        raise Throttled(detail=" ".join(e.messages)) from e
    except DjangoValidationError as e:
        raise as_api_error(e) from e


class ThreadViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Threads per child; what one may see follows from the child and the thread's category."""

    serializer_class = ThreadSerializer
    queryset = Thread.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return (
            services.visible_threads(self.request.user)
            .select_related("child")
            .prefetch_related("child__guardianships")
            .order_by("-last_message_at", "-pk")
        )

    @with_lang
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        services.log_shown(Actor.from_request(request, "api"), page, _("de berichten (API)"))
        serializer = self.get_serializer(page, many=True)
        serializer.context["translations"] = translated_fields(request, page, ["subject"])  # ?lang= only
        return self.get_paginated_response(serializer.data)

    @with_lang
    def retrieve(self, request, pk=None):
        thread = get_object_or_404(Thread.objects.select_related("child"), pk=pk)
        api_child(request, thread.child_id, "view", thread.category, obj=thread, label=_("de berichten (API)"))
        serializer = self.get_serializer(thread)
        serializer.context["translations"] = translated_fields(request, [thread], ["subject"])
        return Response(serializer.data)

    @extend_schema(request=NewThreadSerializer, responses={201: ThreadSerializer})
    def create(self, request):
        data = NewThreadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        child = api_child(request, d["child"], "view", Category.BASIC, label=_("de berichten (API)"))
        actor = Actor.from_request(request, "api")
        thread = _post(
            lambda: services.create_thread(actor, child, d["category"], d["subject"], d["body"], d.get("tag", ""))
        )
        return Response(ThreadSerializer(thread).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MessageSerializer, responses=MessageSerializer(many=True), parameters=[LANG_PARAMETER])
    @action(detail=True, methods=["get", "post"], serializer_class=MessageSerializer)
    def messages(self, request, pk=None):
        thread = get_object_or_404(Thread.objects.select_related("child"), pk=pk)
        actor = Actor.from_request(request, "api")
        if request.method == "POST":
            serializer = MessageSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            message = _post(
                lambda: services.post_message(
                    actor, thread, serializer.validated_data["body"], serializer.validated_data.get("tag", "")
                )
            )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        services.open_thread(actor, thread)
        messages = (
            services.visible_messages(request.user, thread)
            .select_related("author")
            .prefetch_related("receipts__user")
            .order_by("-created_at", "-pk")
        )
        page = self.paginate_queryset(messages)
        services.mark_read(request.user, page)
        translations = translated_fields(request, page, ["body"])  # only with ?lang=, after the policy let them in
        return self.get_paginated_response(
            MessageSerializer(page, many=True, context={"translations": translations}).data
        )


class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AnnouncementSerializer
    queryset = Announcement.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return (
            Announcement.objects.filter(permissions.visible_announcements_filter(self.request.user))
            .prefetch_related("versions")
            .order_by("-published_at", "-pk")
        )

    def _translations(self, announcements) -> dict:
        return translated_fields(
            self.request, announcements, ["title", "body"], versions=services.announcement_versions
        )

    @with_lang
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(page, many=True)
        serializer.context["translations"] = self._translations(page)
        return self.get_paginated_response(serializer.data)

    @with_lang
    def retrieve(self, request, pk=None):
        announcement = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = self.get_serializer(announcement)
        serializer.context["translations"] = self._translations([announcement])
        return Response(serializer.data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        announcement = _post(
            lambda: services.publish_announcement(
                request.user,
                school=d["school"],
                group=d.get("group"),
                title=d["title"],
                body=d["body"],
                newsletter=d.get("is_newsletter", False),
                requires_confirmation=d.get("requires_confirmation", False),
            )
        )
        return Response(self.get_serializer(announcement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("AnnouncementConfirmed", {"confirmed": serializers.BooleanField()})},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm having read an announcement that asks for it (once per person)."""
        announcement = get_object_or_404(self.get_queryset(), pk=pk)
        services.confirm_read(request.user, announcement)
        return Response({"confirmed": True})


def register(router) -> list:
    router.register("threads", ThreadViewSet, basename="thread")
    router.register("announcements", AnnouncementViewSet, basename="announcement")
    return []
