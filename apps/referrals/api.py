"""API for join requests (issue 10 items 3 and 6): a worker asks, the school's IB'er sees the requests.

The same rules and logs as the pages: `permissions` decides who may, the rate limit is shared, and the
worker's answer never tells whether the child exists."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.policy import Action, log_list
from apps.accounts import limits
from apps.accounts.models import User
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category
from apps.organisations.models import CareOrganisation, School

from . import permissions, selectors, services
from .models import JoinRequest, Referral
from .views import JOIN_LIST_LABEL, JOIN_RATE_ACTION, REFERRAL_LIST_LABEL, REFERRAL_TEXT_LABEL


class JoinRequestCreateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=150)
    date_of_birth = serializers.DateField()
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.filter(active=True))
    organisation = serializers.PrimaryKeyRelatedField(queryset=CareOrganisation.objects.all(), required=False)


class JoinRequestSentSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    group = serializers.CharField()


class JoinRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "worker",
            "organisation",
            "school",
            "first_name",
            "last_name",
            "date_of_birth",
            "status",
            "created_at",
        ]


class JoinRequestWithMatchesSerializer(JoinRequestSerializer):
    matches = MatchSerializer(many=True, read_only=True)

    class Meta(JoinRequestSerializer.Meta):
        fields = [*JoinRequestSerializer.Meta.fields, "matches"]


class JoinRequests(APIView):
    @extend_schema(
        responses={200: JoinRequestWithMatchesSerializer(many=True)},
        description="IB'er/director: open requests to their school, with matching pupils. Worker: their own requests.",
    )
    def get(self, request):
        school_ids = permissions.handling_school_ids(request.user)
        if school_ids:
            rows = list(JoinRequest.objects.filter(school_id__in=school_ids, status=JoinRequest.Status.OPEN))
            shown = []
            for row in rows:
                matches = list(services.matching_pupils(row))
                shown += matches
                row.matches = [{"id": c.pk, "full_name": c.full_name, "group": str(c.group)} for c in matches]
            log_list(Actor.from_request(request), shown, label=JOIN_LIST_LABEL)
            return Response(JoinRequestWithMatchesSerializer(rows, many=True).data)
        permissions.check_may_ask(request.user, request)
        rows = JoinRequest.objects.filter(worker=request.user)
        return Response(JoinRequestSerializer(rows, many=True).data)

    @extend_schema(request=JoinRequestCreateSerializer, responses={202: JoinRequestSentSerializer})
    def post(self, request):
        permissions.check_may_ask(request.user, request)
        serializer = JoinRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisations = permissions.asking_organisations(request.user)
        organisation = data.pop("organisation", None) or organisations[0]
        if organisation not in organisations:
            permissions.refuse(request.user, "ask_for_organisation", request)
        if not limits.consume(request._request, JOIN_RATE_ACTION):
            log_event("rate_limited", "join requests rate limited", request=request, user_id=request.user.pk)
            return limits.too_many_requests(request._request, JOIN_RATE_ACTION)
        services.submit_join_request(request.user, organisation=organisation, **data)
        return Response({"detail": str(services.JOIN_REQUEST_SENT)}, status=status.HTTP_202_ACCEPTED)


# --- Referrals (issue 10 items 2 and 6): the same services, policy and log as the pages -------------------


class ReferralCreateSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    organisation = serializers.PrimaryKeyRelatedField(queryset=CareOrganisation.objects.all())
    reason = serializers.CharField(max_length=1000)
    question = serializers.CharField(max_length=1000)
    tried = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Referral.Urgency.choices, default=Referral.Urgency.NORMAL)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False, default=list
    )


class ReferralSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    categories = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "child",
            "child_name",
            "organisation",
            "referred_by",
            "reason",
            "question",
            "tried",
            "urgency",
            "categories",
            "status",
            "holder",
            "created_at",
            "sent_at",
            "answered_at",
            "decline_reason",
            "worker",
            "conversation",
        ]

    def get_categories(self, obj) -> list[str]:
        return obj.consent.category_values

    def get_worker(self, obj) -> int | None:
        return obj.assignment.worker_id if obj.assignment_id else None

    def get_holder(self, obj) -> str:
        return str(services.holder(obj))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class WorkerSerializer(serializers.Serializer):
    worker = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _validation_response(error: ValidationError) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages[0]}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


def _referral_or_404(referral_id) -> Referral:
    return get_object_or_404(
        Referral.objects.select_related("child", "organisation", "referred_by", "consent", "assignment"),
        pk=referral_id,
    )


class Referrals(APIView):
    @extend_schema(
        responses={200: ReferralSerializer(many=True)},
        description="Referrals to the user's organisation (text only, with the family's valid consent) and the "
        "referrals of children whose support data the user may see.",
    )
    def get(self, request):
        actor = Actor.from_request(request)
        received = selectors.inbox(request.user)
        log_list(actor, [r.child for r in received], label=REFERRAL_TEXT_LABEL, action=Action.RECEIVE_REFERRAL)
        ids = {r.pk for r in received}
        followed = [
            r for r in selectors.visible_referrals(request.user).select_related("consent")[:100] if r.pk not in ids
        ]
        log_list(actor, [r.child for r in followed], label=REFERRAL_LIST_LABEL, category=Category.SUPPORT)
        return Response(ReferralSerializer([*received, *followed], many=True).data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def post(self, request):
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = get_object_or_404(Child, pk=data.pop("child"))
        try:
            referral = services.refer(Actor.from_request(request), child, request=request, **data)
        except ValidationError as e:
            return _validation_response(e)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralAccept(APIView):
    @extend_schema(request=None, responses={200: ReferralSerializer})
    def post(self, request, referral_id):
        referral = _referral_or_404(referral_id)
        try:
            referral = services.accept_referral(Actor.from_request(request), referral)
        except ValidationError as e:
            return _validation_response(e)
        return Response(ReferralSerializer(referral).data)


class ReferralDecline(APIView):
    @extend_schema(request=ReasonSerializer, responses={200: ReferralSerializer})
    def post(self, request, referral_id):
        referral = _referral_or_404(referral_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            referral = services.decline_referral(
                Actor.from_request(request), referral, serializer.validated_data["reason"]
            )
        except ValidationError as e:
            return _validation_response(e)
        return Response(ReferralSerializer(referral).data)


class ReferralAssign(APIView):
    @extend_schema(request=WorkerSerializer, responses={200: ReferralSerializer})
    def post(self, request, referral_id):
        referral = _referral_or_404(referral_id)
        serializer = WorkerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        worker = User.objects.filter(pk=serializer.validated_data["worker"], is_active=True).first()
        if worker is None:
            return Response({"worker": [_("Kies een medewerker van uw organisatie.")]}, status=400)
        try:
            services.assign_referral(Actor.from_request(request), referral, worker)
        except ValidationError as e:
            return _validation_response(e)
        referral.refresh_from_db()
        return Response(ReferralSerializer(referral).data)


def register(router) -> list:
    return [
        path("join-requests/", JoinRequests.as_view(), name="join-requests"),
        path("referrals/", Referrals.as_view(), name="referrals"),
        path("referrals/<int:referral_id>/accept/", ReferralAccept.as_view(), name="referral-accept"),
        path("referrals/<int:referral_id>/decline/", ReferralDecline.as_view(), name="referral-decline"),
        path("referrals/<int:referral_id>/assign/", ReferralAssign.as_view(), name="referral-assign"),
    ]
