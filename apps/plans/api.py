"""REST endpoints of the plan, under the same policy and access log as the web pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error, stale_response
from apps.access.policy import Action, decide
from apps.access.shortcuts import load_child
from apps.audit.log import Actor

from . import services
from .models import Agreement, Goal
from .serializers import (
    AgreementPatchSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
    GoalAddSerializer,
    GoalChangeSerializer,
    GoalSerializer,
    PlanSerializer,
)


class PlanView(APIView):
    """The one plan of the child: goals, agreements and what changed since the caller's last visit."""

    @extend_schema(responses=PlanSerializer)
    def get(self, request, child_id):
        plan = services.read_plan(Actor.from_request(request, "api"), load_child(child_id))
        return Response(
            PlanSerializer(
                {
                    "goals": plan.goals,
                    "agreements": plan.agreements,
                    "changes_since_last_visit": plan.changes_since,
                    "last_visit": plan.last_visit,
                }
            ).data
        )


class AgreementsView(APIView):
    @extend_schema(request=AgreementWriteSerializer, responses={201: AgreementSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = AgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        owner = get_user_model().objects.filter(pk=data.get("owner_id")).first() if data.get("owner_id") else None
        goal = Goal.objects.filter(pk=data.get("goal_id")).first() if data.get("goal_id") else None
        if data.get("owner_id") and owner is None:
            raise as_api_error(DjangoValidationError("Deze persoon hoort niet bij de kring van dit kind."))
        try:
            agreement = services.add_agreement(
                Actor.from_request(request, "api"),
                child,
                what=data["what"],
                owner=owner,
                due=data.get("due"),
                goal=goal,
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class AgreementView(APIView):
    """Change an agreement's text, owner, due date and/or status; a stale version gives 409 with the
    current agreement. The status is checked before anything is saved, so a bad status never leaves
    half a change (no outer transaction: a refusal must stay in the access log)."""

    @extend_schema(
        request=AgreementPatchSerializer,
        responses={200: AgreementSerializer, 409: OpenApiResponse(description="Stale version: the current agreement")},
    )
    def patch(self, request, child_id, agreement_id):
        agreement = get_object_or_404(Agreement.objects.select_related("owner"), pk=agreement_id, child_id=child_id)
        agreement.child = load_child(child_id)
        serializer = AgreementPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = Actor.from_request(request, "api")
        try:
            version = data["version"]
            if {"what", "owner_id", "due"} & set(data):
                owner = agreement.owner
                if "owner_id" in data:
                    owner = get_user_model().objects.filter(pk=data["owner_id"]).first()
                    if owner is None:
                        # an unknown person: a Dutch error, but only for someone who may change the plan
                        if decide(request.user, Action.CHANGE, agreement.child, services.PLAN_CATEGORY).allowed:
                            raise DjangoValidationError({"owner": _("Deze persoon hoort niet bij de kring.")})
                        owner = agreement.owner  # the service refuses and logs the refusal
                agreement = services.change_agreement(
                    actor,
                    agreement,
                    what=data.get("what", agreement.what),
                    owner=owner,
                    due=data.get("due", agreement.due),
                    expected_version=version,
                )
                version = agreement.version
            if "status" in data:
                agreement = services.set_agreement_status(
                    actor, agreement, data["status"], reason=data.get("reason", ""), expected_version=version
                )
        except services.StaleEdit as e:
            return stale_response(e, AgreementSerializer)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(AgreementSerializer(agreement).data)


class GoalsView(APIView):
    @extend_schema(request=GoalAddSerializer, responses={201: GoalSerializer})
    def post(self, request, child_id):
        from .groei_models import FamilyGoal

        child = load_child(child_id)
        serializer = GoalAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        family_goal_id = data.pop("family_goal_id", None)
        family_goal = FamilyGoal.objects.filter(pk=family_goal_id).first() if family_goal_id else None
        if family_goal_id and family_goal is None:
            raise as_api_error(DjangoValidationError(_("Dit doel van het gezin bestaat niet.")))
        try:
            goal = services.add_goal(Actor.from_request(request, "api"), child, family_goal=family_goal, **data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalView(APIView):
    """Change or evaluate a goal; a stale version gives 409 with the current goal."""

    @extend_schema(request=GoalChangeSerializer, responses={200: GoalSerializer})
    def patch(self, request, child_id, goal_id):
        goal = get_object_or_404(Goal, pk=goal_id, child_id=child_id)
        goal.child = load_child(child_id)
        serializer = GoalChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        try:
            goal = services.change_goal(Actor.from_request(request, "api"), goal, expected_version=version, **data)
        except services.StaleEdit as e:
            return stale_response(e, GoalSerializer)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(GoalSerializer(goal).data)


def register(router) -> list:
    from .groei import api as groei_api
    from .opp import api as opp_api

    return (
        opp_api.register(router)
        + groei_api.register(router)
        + [
            path("children/<int:child_id>/plan/", PlanView.as_view(), name="child-plan"),
            path("children/<int:child_id>/plan/agreements/", AgreementsView.as_view(), name="child-plan-agreements"),
            path(
                "children/<int:child_id>/plan/agreements/<int:agreement_id>/",
                AgreementView.as_view(),
                name="child-plan-agreement",
            ),
            path("children/<int:child_id>/plan/goals/", GoalsView.as_view(), name="child-plan-goals"),
            path("children/<int:child_id>/plan/goals/<int:goal_id>/", GoalView.as_view(), name="child-plan-goal"),
        ]
    )
