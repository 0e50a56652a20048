from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import api_child, as_api_error
from apps.access.policy import Action

from . import services
from .models import Consent
from .serializers import ConsentCreateSerializer, ConsentSerializer, RevokeSerializer


class ChildConsents(APIView):
    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request, child_id):
        child = api_child(request, child_id, label=_("de toestemmingen (API)"))
        consents = child.consents.select_related("organisation", "grantee", "child").prefetch_related(
            "scopes", "signatures__signer", "child__guardianships"
        )
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(request=ConsentCreateSerializer, responses={201: ConsentSerializer})
    def post(self, request, child_id):
        child = api_child(request, child_id, Action.GIVE_CONSENT, label=_("een nieuwe toestemming (API)"))
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            consent = services.request_consent(child=child, by=request.user, **serializer.validated_data)
        except ValidationError as e:
            raise as_api_error(e) from None
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentSign(APIView):
    @extend_schema(request=None, responses=ConsentSerializer)
    def post(self, request, child_id, consent_id):
        child = api_child(request, child_id, Action.GIVE_CONSENT, label=_("een toestemming (API)"))
        consent = get_object_or_404(Consent, pk=consent_id, child=child)
        try:
            consent = services.sign(consent, request.user)
        except ValidationError as e:
            raise as_api_error(e) from None
        return Response(ConsentSerializer(consent).data)


class ConsentRevoke(APIView):
    @extend_schema(request=RevokeSerializer, responses=ConsentSerializer)
    def post(self, request, child_id, consent_id):
        child = api_child(request, child_id, Action.GIVE_CONSENT, label=_("een toestemming (API)"))
        consent = get_object_or_404(Consent, pk=consent_id, child=child)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            consent = services.revoke(consent, request.user, serializer.validated_data["reason"])
        except ValidationError as e:
            raise as_api_error(e) from None
        return Response(ConsentSerializer(consent).data)


def register(router) -> list:
    return [
        path("children/<int:child_id>/consents/", ChildConsents.as_view(), name="child-consents"),
        path("children/<int:child_id>/consents/<int:consent_id>/sign/", ConsentSign.as_view(), name="consent-sign"),
        path(
            "children/<int:child_id>/consents/<int:consent_id>/revoke/", ConsentRevoke.as_view(), name="consent-revoke"
        ),
    ]
