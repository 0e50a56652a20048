"""Help questions in /api/v1/: ask, list (own and handled), acknowledge, complete."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.access.api import api_child, as_api_error
from apps.access.policy import Action
from apps.audit.log import Actor
from apps.core.params import int_param
from apps.translation.fields import TranslatedField, translated_fields, with_lang

from . import permissions, services
from .models import HelpQuestion, Step, Topic


class HelpQuestionSerializer(serializers.ModelSerializer):
    taken_by = serializers.CharField(source="acknowledged_by.full_name", read_only=True, allow_null=True, default=None)
    assigned_to_name = serializers.CharField(
        source="assigned_to.full_name", read_only=True, allow_null=True, default=None
    )
    topic = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.filter(active=True))

    class Meta:
        model = HelpQuestion
        fields = [
            "id",
            "topic",
            "child",
            "text",
            "preferred_contact",
            "contact_detail",
            "interpreter",
            "language",
            "status",
            "assigned_to_name",
            "taken_by",
            "created_at",
            "due_at",
            "acknowledged_at",
            "version",
        ]
        read_only_fields = ["id", "status", "created_at", "due_at", "acknowledged_at", "version"]


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class HelpQuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = HelpQuestionSerializer
    queryset = HelpQuestion.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return HelpQuestion.objects.none()
        return (
            permissions.readable_questions(self.request.user)
            .select_related("acknowledged_by", "assigned_to", "child")
            .order_by("-created_at", "-pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        services.log_shown(Actor.from_request(request, "api"), page, _("de hulpvragen (API)"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        question = get_object_or_404(self.get_queryset(), pk=pk)
        permissions.authorize_question(Actor.from_request(request, "api"), Action.VIEW, question)
        return Response(self.get_serializer(question).data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        child = d.get("child")
        if child is not None:  # decided and logged like every other read of child data
            api_child(request, child.pk, Action.CREATE, permissions.QUESTION_CATEGORY, label=_("een hulpvraag (API)"))
        try:
            question = services.ask(
                Actor.from_request(request, "api"),
                topic=d["topic"],
                text=d["text"],
                preferred_contact=d.get("preferred_contact", HelpQuestion.Contact.MESSAGE),
                contact_detail=d.get("contact_detail", ""),
                child=child,
                interpreter=d.get("interpreter", False),
                language=d.get("language", ""),
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(self.get_serializer(question).data, status=status.HTTP_201_CREATED)

    def _handle(self, request, pk, fn):
        question = get_object_or_404(HelpQuestion.objects.select_related("child"), pk=pk)
        if not permissions.may_handle(request.user, question):
            raise NotFound()
        version = VersionSerializer(data=request.data)
        version.is_valid(raise_exception=True)
        try:
            question = fn(Actor.from_request(request, "api"), question, version.validated_data.get("version"))
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(self.get_serializer(question).data)

    @extend_schema(request=VersionSerializer, responses=HelpQuestionSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._handle(request, pk, services.acknowledge)

    @extend_schema(request=VersionSerializer, responses=HelpQuestionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._handle(request, pk, services.complete)


class StepSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="guide.school_id", read_only=True)
    translated = TranslatedField()

    class Meta:
        model = Step
        fields = [
            "id",
            "school",
            "order",
            "title",
            "person_name",
            "role",
            "how_to_reach",
            "when_reachable",
            "languages",
            "description",
            "what_next",
            "translated",
        ]
        read_only_fields = fields


class StepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The steps of the help guides this person reads (``?school=`` for one school; ``?lang=`` translated)."""

    serializer_class = StepSerializer
    queryset = Step.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Step.objects.none()
        steps = Step.objects.filter(guide__school_id__in=permissions.guide_school_ids(self.request.user))
        school = int_param(self.request.query_params.get("school"))
        if school is not None:
            steps = steps.filter(guide__school_id=school)
        return steps.select_related("guide").prefetch_related("versions").order_by("guide__school_id", "order", "pk")

    def _translations(self, steps) -> dict:
        return translated_fields(
            self.request, steps, ["title", "description", "what_next"], versions=services.step_versions
        )

    @with_lang
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(page, many=True)
        serializer.context["translations"] = self._translations(page)
        return self.get_paginated_response(serializer.data)

    @with_lang
    def retrieve(self, request, pk=None):
        step = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = self.get_serializer(step)
        serializer.context["translations"] = self._translations([step])
        return Response(serializer.data)


def register(router) -> list:
    router.register("help-questions", HelpQuestionViewSet, basename="help-question")
    router.register("help-guide-steps", StepViewSet, basename="help-guide-step")
    return []
