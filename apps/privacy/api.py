"""REST endpoints of the family's rights (inspection, statements, corrections): same policy and log as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error
from apps.access.policy import Action, authorize
from apps.access.shortcuts import load_child
from apps.audit.log import Actor
from apps.consent.models import Category

from . import services
from .models import CorrectionRequest, InspectionRequest
from .serializers import (
    CorrectionDecisionSerializer,
    CorrectionRequestSerializer,
    CorrectionRequestWriteSerializer,
    InspectionRequestSerializer,
    InspectionRequestWriteSerializer,
    StatementSerializer,
    StatementWriteSerializer,
)


def _actor(request) -> Actor:
    return Actor.from_request(request, "api")


class InspectionRequestsView(APIView):
    """The caller's own inspection requests for this child, and asking for a new one (due one month later)."""

    @extend_schema(responses=InspectionRequestSerializer(many=True))
    def get(self, request, child_id):
        child = load_child(child_id)
        actor = _actor(request)
        authorize(actor, Action.VIEW, child, Category.BASIC, label=_("inzageverzoeken"))
        return Response(InspectionRequestSerializer(services.requests_of(actor, child), many=True).data)

    @extend_schema(request=InspectionRequestWriteSerializer, responses={201: InspectionRequestSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = InspectionRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            req = services.request_inspection(_actor(request), child, **serializer.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(InspectionRequestSerializer(req).data, status=status.HTTP_201_CREATED)


class InspectionRequestView(APIView):
    """One request: for its requester, or for the coordinator who handles it."""

    @extend_schema(responses=InspectionRequestSerializer)
    def get(self, request, request_id):
        req = get_object_or_404(InspectionRequest, pk=request_id)
        req.child = load_child(req.child_id)
        actor = _actor(request)
        if req.requested_by_id == request.user.pk:
            authorize(actor, Action.VIEW, req.child, Category.BASIC, obj=req, label=_("een inzageverzoek"))
        else:
            services.handle_view(actor, req)
        return Response(InspectionRequestSerializer(req).data)


class StatementsView(APIView):
    """The family's own statements in the categories the caller may see; adding one beside an entry."""

    @extend_schema(responses=StatementSerializer(many=True))
    def get(self, request, child_id):
        child = load_child(child_id)
        return Response(StatementSerializer(services.statements_of(_actor(request), child), many=True).data)

    @extend_schema(request=StatementWriteSerializer, responses={201: StatementSerializer})
    def post(self, request, child_id):
        load_child(child_id)
        serializer = StatementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _check_child(data, child_id)
        try:
            statement = services.add_statement(
                _actor(request), data["target_type"], data["target_id"], text=data["text"]
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(StatementSerializer(statement).data, status=status.HTTP_201_CREATED)


def _check_child(data, child_id):
    """The record must belong to the child in the address (no statement on another child's entry)."""
    from django.http import Http404

    from .targets import load

    if load(data["target_type"], data["target_id"]).child.pk != int(child_id):
        raise Http404


class CorrectionsView(APIView):
    """Correction requests the caller made for this child; asking for a new one."""

    @extend_schema(responses=CorrectionRequestSerializer(many=True))
    def get(self, request, child_id):
        child = load_child(child_id)
        authorize(_actor(request), Action.VIEW, child, Category.BASIC, label=_("correctieverzoeken"))
        rows = CorrectionRequest.objects.filter(child=child, requested_by=request.user)
        return Response(CorrectionRequestSerializer(rows, many=True).data)

    @extend_schema(request=CorrectionRequestWriteSerializer, responses={201: CorrectionRequestSerializer})
    def post(self, request, child_id):
        load_child(child_id)
        serializer = CorrectionRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        _check_child(data, child_id)
        try:
            c = services.request_correction(_actor(request), data.pop("target_type"), data.pop("target_id"), **data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(CorrectionRequestSerializer(c).data, status=status.HTTP_201_CREATED)


class CorrectionDecisionView(APIView):
    """The record's owner corrects or refuses (with a reason)."""

    @extend_schema(request=CorrectionDecisionSerializer, responses=CorrectionRequestSerializer)
    def post(self, request, correction_id):
        c = get_object_or_404(CorrectionRequest, pk=correction_id)
        c.child = load_child(c.child_id)
        serializer = CorrectionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.decide_correction(_actor(request), c, accept=data["accept"], reason=data["decision_reason"])
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(CorrectionRequestSerializer(c).data)


def register(router) -> list:
    return [
        path(
            "children/<int:child_id>/inspection-requests/",
            InspectionRequestsView.as_view(),
            name="child-inspection-requests",
        ),
        path("inspection-requests/<int:request_id>/", InspectionRequestView.as_view(), name="inspection-request"),
        path("children/<int:child_id>/statements/", StatementsView.as_view(), name="child-statements"),
        path("children/<int:child_id>/corrections/", CorrectionsView.as_view(), name="child-corrections"),
        path("corrections/<int:correction_id>/decision/", CorrectionDecisionView.as_view(), name="correction-decision"),
    ]
