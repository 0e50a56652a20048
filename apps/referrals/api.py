"""API for join requests (issue 10 items 3 and 6): a worker asks, the school's IB'er sees the requests.

The same rules and logs as the pages: `permissions` decides who may, the rate limit is shared, and the
worker's answer never tells whether the child exists."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.policy import log_list
from apps.accounts import limits
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.organisations.models import CareOrganisation, School

from . import permissions, services
from .models import JoinRequest
from .views import JOIN_LIST_LABEL, JOIN_RATE_ACTION


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


def register(router) -> list:
    return [path("join-requests/", JoinRequests.as_view(), name="join-requests")]
