"""REST endpoints for case reviews under /api/v1/, with the same policy, rules and log as the pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error
from apps.access.shortcuts import load_child
from apps.audit.log import Actor
from apps.organisations.models import Board, School

from . import services
from .models import CaseReview
from .serializers import (
    ActionPointWriteSerializer,
    CaseReviewActionPointSerializer,
    CaseReviewCreateSerializer,
    CaseReviewFactorSerializer,
    CaseReviewListSerializer,
    CaseReviewParticipantSerializer,
    CaseReviewSerializer,
    FactorWriteSerializer,
    FitWriteSerializer,
    SummarySerializer,
)


def _review(pk) -> CaseReview:
    return get_object_or_404(
        CaseReview.objects.select_related(
            "child__school", "child__group", "child__user", "school", "consent"
        ).prefetch_related("child__guardianships", "participants__user", "factors", "action_points"),
        pk=pk,
    )


def _summary_data(summary) -> dict:
    rows = lambda items: [{"level": lv, "key": k, "reviews": n} for lv, k, n in items]  # noqa: E731
    return {
        "n_reviews": summary.n_reviews,
        "shown": summary.shown,
        "reason": str(summary.reason),
        "hindered": rows(summary.hindered),
        "helped": rows(summary.helped),
        "family_fit": summary.family_fit,
        "professional_fit": summary.professional_fit,
    }


class CaseReviewViewSet(viewsets.ViewSet):
    """Case reviews of children the caller may see in "ondersteuning en plan"; the coordinator writes."""

    @extend_schema(responses=CaseReviewListSerializer(many=True))
    def list(self, request):
        reviews = services.visible_reviews(Actor.from_request(request, "api"))
        return Response(CaseReviewListSerializer(reviews, many=True).data)

    @extend_schema(responses=CaseReviewSerializer)
    def retrieve(self, request, pk=None):
        review = _review(pk)
        services.read_review(Actor.from_request(request, "api"), review)
        return Response(CaseReviewSerializer(review).data)

    @extend_schema(request=CaseReviewCreateSerializer, responses={201: CaseReviewSerializer})
    def create(self, request):
        data = CaseReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        child = load_child(data.validated_data["child_id"])
        try:
            review = services.start_review(
                Actor.from_request(request, "api"), child, held_on=data.validated_data.get("held_on")
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(CaseReviewSerializer(_review(review.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FitWriteSerializer, responses=CaseReviewParticipantSerializer)
    @action(detail=True, methods=["post"])
    def fit(self, request, pk=None):
        review = _review(pk)
        data = FitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant = get_object_or_404(review.participants.all(), pk=data.validated_data["participant_id"])
        try:
            participant = services.set_fit(
                Actor.from_request(request, "api"),
                review,
                participant,
                data.validated_data["fit"],
                data.validated_data.get("note", ""),
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(CaseReviewParticipantSerializer(participant).data)

    @extend_schema(request=FactorWriteSerializer, responses={201: CaseReviewFactorSerializer})
    @action(detail=True, methods=["post"])
    def factors(self, request, pk=None):
        review = _review(pk)
        data = FactorWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            factor = services.add_factor(Actor.from_request(request, "api"), review, **data.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(CaseReviewFactorSerializer(factor).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionPointWriteSerializer, responses={201: CaseReviewActionPointSerializer})
    @action(detail=True, methods=["post"], url_path="action-points")
    def action_points(self, request, pk=None):
        review = _review(pk)
        data = ActionPointWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = get_user_model().objects.filter(pk=values.pop("owner_id")).first()
        try:
            point = services.add_action_point(Actor.from_request(request, "api"), review, owner=owner, **values)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(CaseReviewActionPointSerializer(point).data, status=status.HTTP_201_CREATED)


class SchoolSummaryView(APIView):
    """The anonymous summary of a school's case reviews (nothing under 5 reviews, no names)."""

    @extend_schema(responses=SummarySerializer)
    def get(self, request, school_id):
        school = get_object_or_404(School, pk=school_id)
        return Response(SummarySerializer(_summary_data(services.school_summary(request.user, school))).data)


class RegionSummaryView(APIView):
    """The anonymous summary over the case reviews of a school board's schools."""

    @extend_schema(responses=SummarySerializer)
    def get(self, request, board_id):
        board = get_object_or_404(Board, pk=board_id)
        return Response(SummarySerializer(_summary_data(services.region_summary(request.user, board))).data)


def register(router) -> list:
    router.register("case-reviews", CaseReviewViewSet, basename="case-review")
    return [
        path("case-reviews/summary/school/<int:school_id>/", SchoolSummaryView.as_view(), name="case-review-school"),
        path("case-reviews/summary/region/<int:board_id>/", RegionSummaryView.as_view(), name="case-review-region"),
    ]
