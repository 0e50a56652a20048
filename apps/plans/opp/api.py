"""REST endpoints of the OPP, under the same policy and access log as the pages (docs/opp.md)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error
from apps.access.shortcuts import load_child
from apps.audit.log import Actor

from ..models import Agreement, Goal
from ..opp_models import HandelingsdeelAnswer, HandelingsdeelVersion, Opp, SupportLine
from . import services


class OppSupportLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportLine
        fields = ["id", "what", "who", "how_often", "starts_on"]
        read_only_fields = ["id"]


class OppAnswerSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.full_name", read_only=True)
    answer = serializers.CharField(read_only=True, help_text="consent or decline")

    class Meta:
        model = HandelingsdeelAnswer
        fields = ["user_id", "user", "answer", "reason", "at"]
        read_only_fields = fields


class OppVersionSerializer(serializers.ModelSerializer):
    answers = OppAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = HandelingsdeelVersion
        fields = ["id", "number", "content", "content_hash", "note", "proposed_at", "established_at", "answers"]
        read_only_fields = fields


class OppBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Opp
        fields = [
            "needed_since",
            *services.PERSPECTIVE_FIELDS,
            "oogo_held_on",
            "oogo_record",
            "parents_view",
            "pupil_view",
            "pupil_heard_at",
            "started_on",
            "ended_on",
            "evaluation_id",
            "version",
        ]
        read_only_fields = fields


class OppSerializer(serializers.Serializer):
    opp = OppBodySerializer(allow_null=True)
    support_lines = OppSupportLineSerializer(many=True)
    versions = OppVersionSerializer(many=True)
    due_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField()
    vastgesteld_version = serializers.IntegerField(allow_null=True, help_text="Number of the version in force")
    waiting_for = serializers.ListField(child=serializers.CharField(), help_text="Parents who have not answered")
    draft_changed = serializers.BooleanField(help_text="The handelingsdeel changed since the latest version")
    dispute_text = serializers.CharField()


class OppProposeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class OppAnswerWriteSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["consent", "decline"])
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


def _data(view) -> dict:
    return {
        "opp": view.opp,
        "support_lines": view.lines,
        "versions": view.versions,
        "due_on": view.due_on,
        "late": view.late,
        "vastgesteld_version": view.established.number if view.established else None,
        "waiting_for": [view.names.get(i, "") for i in (view.state.missing if view.state else [])],
        "draft_changed": view.draft_changed,
        "dispute_text": view.dispute_text,
    }


def _read(actor, child):
    goals = list(Goal.objects.filter(child=child))
    agreements = list(Agreement.objects.filter(child=child).select_related("owner"))
    return services.read_opp(actor, child, goals=goals, agreements=agreements)


def _opp(child) -> Opp:
    opp = get_object_or_404(Opp, child=child)
    opp.child = child
    return opp


class OppView(APIView):
    """The child's OPP: perspective, views, handelingsdeel, every version with the parents' answers."""

    @extend_schema(responses=OppSerializer)
    def get(self, request, child_id):
        view = _read(Actor.from_request(request, "api"), load_child(child_id))
        return Response(OppSerializer(_data(view)).data)


class SupportLinesView(APIView):
    @extend_schema(request=OppSupportLineSerializer, responses={201: OppSupportLineSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = OppSupportLineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            line = services.add_support_line(
                Actor.from_request(request, "api"), _opp(child), **serializer.validated_data
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(OppSupportLineSerializer(line).data, status=status.HTTP_201_CREATED)


class VersionsView(APIView):
    """Lay the current handelingsdeel before the parents as a new version (every parent is asked again)."""

    @extend_schema(request=OppProposeSerializer, responses={201: OppVersionSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = OppProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            version = services.propose_version(
                Actor.from_request(request, "api"), _opp(child), note=serializer.validated_data.get("note", "")
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(OppVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class AnswerView(APIView):
    """A parent with confirmed gezag consents to the version, or declines it with a reason."""

    @extend_schema(request=OppAnswerWriteSerializer, responses={201: OppAnswerSerializer})
    def post(self, request, child_id, version_id):
        child = load_child(child_id)
        opp = _opp(child)
        version = get_object_or_404(HandelingsdeelVersion, pk=version_id, opp=opp)
        version.opp = opp
        serializer = OppAnswerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            row = services.answer_version(
                Actor.from_request(request, "api"), version, answer=data["answer"], reason=data.get("reason", "")
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(OppAnswerSerializer(row).data, status=status.HTTP_201_CREATED)


class EstablishView(APIView):
    """Set (vaststellen) the latest version: refused, naming who is missing, without every consent."""

    @extend_schema(request=None, responses={200: OppVersionSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        try:
            version = services.establish(Actor.from_request(request, "api"), _opp(child))
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(OppVersionSerializer(version).data)


def register(router) -> list:
    return [
        path("children/<int:child_id>/plan/opp/", OppView.as_view(), name="child-opp"),
        path("children/<int:child_id>/plan/opp/support-lines/", SupportLinesView.as_view(), name="child-opp-lines"),
        path("children/<int:child_id>/plan/opp/versions/", VersionsView.as_view(), name="child-opp-versions"),
        path(
            "children/<int:child_id>/plan/opp/versions/<int:version_id>/answer/",
            AnswerView.as_view(),
            name="child-opp-answer",
        ),
        path("children/<int:child_id>/plan/opp/establish/", EstablishView.as_view(), name="child-opp-establish"),
    ]
