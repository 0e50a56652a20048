"""REST endpoints of the groeidocument and the family's own plan, under the same policy and access log as
the pages (docs/opp.md)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error
from apps.access.shortcuts import load_child
from apps.audit.log import Actor
from apps.core.versioning import StaleEdit

from ..groei_models import ExportConsent, FamilyGoal, Groeidocument, LifeDomain
from ..services import read_plan
from . import rules, services

REQUEST_HELP = "arrangement, tlv, or empty (not chosen yet)"


class GroeidocumentSerializer(serializers.ModelSerializer):
    # A plain string: a choice field named like another component's would collide in the schema's enums.
    request_kind = serializers.CharField(read_only=True, help_text=REQUEST_HELP)

    class Meta:
        model = Groeidocument
        fields = [
            "id",
            "request_kind",
            *services.SCHOOL_FIELDS,
            *services.PARENT_FIELDS,
            "parents_at",
            "school_at",
            "mdo_conversation_id",
            "mdo_on",
            "mdo_participants",
            "mdo_report",
            "closed_at",
            "close_reason",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ExportConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExportConsent
        fields = ["user_id", "categories", "at"]
        read_only_fields = fields


class GroeidocumentDetailSerializer(serializers.Serializer):
    document = GroeidocumentSerializer()
    agreement_ids = serializers.ListField(child=serializers.IntegerField())
    export_consents = ExportConsentSerializer(many=True)
    export_ready = serializers.BooleanField(help_text="Every parent with gezag chose what goes with the request")
    export_categories = serializers.ListField(child=serializers.CharField())
    waiting_for = serializers.ListField(child=serializers.CharField())


class StartSerializer(serializers.Serializer):
    request_kind = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text=REQUEST_HELP)


class ParentsPartSerializer(serializers.Serializer):
    parents_view = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    parents_question = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class SchoolPartSerializer(serializers.Serializer):
    school_question = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    school_view = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    needs = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    request_kind = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text=REQUEST_HELP)
    version = serializers.IntegerField(required=False)


class ExportConsentWriteSerializer(serializers.Serializer):
    categories = serializers.ListField(child=serializers.ChoiceField(choices=list(rules.EXPORTABLE)), allow_empty=True)


class FamilyGoalSerializer(serializers.ModelSerializer):
    life_domain = serializers.ChoiceField(choices=LifeDomain.values)

    class Meta:
        model = FamilyGoal
        fields = ["id", "life_domain", "text", "written_at", "updated_at", "version"]
        read_only_fields = ["id", "written_at", "updated_at", "version"]


def _doc(request, doc_id) -> Groeidocument:
    doc = get_object_or_404(Groeidocument, pk=doc_id)
    doc.child = load_child(doc.child_id)
    return doc


def _detail(view) -> dict:
    return {
        "document": view.doc,
        "agreement_ids": [a.pk for a in view.agreements],
        "export_consents": view.consents,
        "export_ready": view.state.complete,
        "export_categories": view.state.categories,
        "waiting_for": [view.names.get(i, "") for i in view.state.missing],
    }


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except StaleEdit as e:
        raise as_api_error(DjangoValidationError(e.messages)) from e
    except DjangoValidationError as e:
        raise as_api_error(e) from e


class ChildDocumentsView(APIView):
    """The child's groeidocumenten (newest first); POST starts one (the IB'er or the director)."""

    @extend_schema(responses=GroeidocumentSerializer(many=True))
    def get(self, request, child_id):
        docs = services.documents_of(Actor.from_request(request, "api"), load_child(child_id))
        return Response(GroeidocumentSerializer(docs, many=True).data)

    @extend_schema(request=StartSerializer, responses={201: GroeidocumentSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = StartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        doc = _call(
            services.start,
            Actor.from_request(request, "api"),
            child,
            request_kind=serializer.validated_data.get("request_kind", ""),
        )
        return Response(GroeidocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


class DocumentView(APIView):
    @extend_schema(responses=GroeidocumentDetailSerializer)
    def get(self, request, doc_id):
        view = services.read(Actor.from_request(request, "api"), _doc(request, doc_id))
        return Response(GroeidocumentDetailSerializer(_detail(view)).data)


class ParentsPartView(APIView):
    """The parents' part; the school is refused (and the refusal logged)."""

    @extend_schema(request=ParentsPartSerializer, responses=GroeidocumentSerializer)
    def post(self, request, doc_id):
        doc = _doc(request, doc_id)
        serializer = ParentsPartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        doc = _call(services.save_parents_part, Actor.from_request(request, "api"), doc, **serializer.validated_data)
        return Response(GroeidocumentSerializer(doc).data)


class SchoolPartView(APIView):
    @extend_schema(request=SchoolPartSerializer, responses=GroeidocumentSerializer)
    def post(self, request, doc_id):
        doc = _doc(request, doc_id)
        serializer = SchoolPartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        doc = _call(
            services.save_school_part,
            Actor.from_request(request, "api"),
            doc,
            expected_version=data.pop("version", None),
            **data,
        )
        return Response(GroeidocumentSerializer(doc).data)


class ExportConsentView(APIView):
    """A parent with confirmed gezag chooses what goes with the request."""

    @extend_schema(request=ExportConsentWriteSerializer, responses={201: ExportConsentSerializer})
    def post(self, request, doc_id):
        doc = _doc(request, doc_id)
        serializer = ExportConsentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = _call(
            services.give_export_consent,
            Actor.from_request(request, "api"),
            doc,
            categories=serializer.validated_data["categories"],
        )
        return Response(ExportConsentSerializer(row).data, status=status.HTTP_201_CREATED)


class ExportView(APIView):
    """The request to the samenwerkingsverband as JSON: only what the family allowed (logged as an export)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, doc_id):
        return Response(_call(services.export, Actor.from_request(request, "api"), _doc(request, doc_id)))


class FamilyGoalsView(APIView):
    """The family's own plan; only the family writes it (a professional is refused and the refusal logged)."""

    @extend_schema(responses=FamilyGoalSerializer(many=True))
    def get(self, request, child_id):
        child = load_child(child_id)
        read_plan(Actor.from_request(request, "api"), child, record_visit=False)  # the read is logged
        return Response(FamilyGoalSerializer(services.family_goals(child), many=True).data)

    @extend_schema(request=FamilyGoalSerializer, responses={201: FamilyGoalSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = FamilyGoalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = _call(services.add_family_goal, Actor.from_request(request, "api"), child, **serializer.validated_data)
        return Response(FamilyGoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class FamilyGoalView(APIView):
    @extend_schema(request=FamilyGoalSerializer, responses=FamilyGoalSerializer)
    def patch(self, request, child_id, goal_id):
        child = load_child(child_id)
        goal = get_object_or_404(FamilyGoal, pk=goal_id, child=child)
        goal.child = child
        serializer = FamilyGoalSerializer(goal, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        goal = _call(
            services.change_family_goal,
            Actor.from_request(request, "api"),
            goal,
            life_domain=data.get("life_domain", goal.life_domain),
            text=data.get("text", goal.text),
            expected_version=request.data.get("version", goal.version),
        )
        return Response(FamilyGoalSerializer(goal).data)


def register(router) -> list:
    return [
        path(
            "children/<int:child_id>/plan/groeidocumenten/", ChildDocumentsView.as_view(), name="child-groeidocumenten"
        ),
        path("children/<int:child_id>/plan/family-goals/", FamilyGoalsView.as_view(), name="child-family-goals"),
        path(
            "children/<int:child_id>/plan/family-goals/<int:goal_id>/",
            FamilyGoalView.as_view(),
            name="child-family-goal",
        ),
        path("groeidocumenten/<int:doc_id>/", DocumentView.as_view(), name="groeidocument"),
        path("groeidocumenten/<int:doc_id>/parents/", ParentsPartView.as_view(), name="groeidocument-parents"),
        path("groeidocumenten/<int:doc_id>/school/", SchoolPartView.as_view(), name="groeidocument-school"),
        path(
            "groeidocumenten/<int:doc_id>/export-consent/",
            ExportConsentView.as_view(),
            name="groeidocument-export-consent",
        ),
        path("groeidocumenten/<int:doc_id>/export/", ExportView.as_view(), name="groeidocument-export"),
    ]
