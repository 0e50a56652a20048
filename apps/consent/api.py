from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import api_child, as_api_error
from apps.access.policy import Action, authorize, decide
from apps.access.shortcuts import load_child
from apps.audit.log import Actor

from . import parent_view, services
from .models import Consent
from .serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    ParentViewChangeSerializer,
    ParentViewSerializer,
    RevokeSerializer,
)


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


def _consent_for(request, child_id, consent_id, action) -> Consent:
    """One consent of the child, authorized (and logged, naming the consent) for signing or revoking it."""
    child = load_child(child_id)
    consent = Consent.objects.filter(pk=consent_id, child=child).first()
    authorize(Actor.from_request(request, "api"), action, child, obj=consent, label=_("een toestemming (API)"))
    if consent is None:
        raise Http404
    return consent


class ConsentSign(APIView):
    @extend_schema(request=None, responses=ConsentSerializer)
    def post(self, request, child_id, consent_id):
        consent = _consent_for(request, child_id, consent_id, Action.GIVE_CONSENT)
        try:
            consent = services.sign(consent, request.user)
        except ValidationError as e:
            raise as_api_error(e) from None
        return Response(ConsentSerializer(consent).data)


class ConsentRevoke(APIView):
    @extend_schema(request=RevokeSerializer, responses=ConsentSerializer)
    def post(self, request, child_id, consent_id):
        consent = _consent_for(request, child_id, consent_id, Action.REVOKE_CONSENT)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            consent = services.revoke(consent, request.user, serializer.validated_data["reason"])
        except ValidationError as e:
            raise as_api_error(e) from None
        return Response(ConsentSerializer(consent).data)


class ChildParentView(APIView):
    """What the parents see of health and support. From 16 only the young person changes it."""

    def _data(self, request, child):
        view = parent_view.parent_view(child)
        can_change = decide(request.user, Action.SET_PARENT_VIEW, child).allowed
        return ParentViewSerializer({**view.__dict__, "can_change": can_change}).data

    @extend_schema(responses=ParentViewSerializer)
    def get(self, request, child_id):
        child = api_child(request, child_id, label=_("wat ouders zien van gezondheid en ondersteuning (API)"))
        return Response(self._data(request, child))

    @extend_schema(request=ParentViewChangeSerializer, responses=ParentViewSerializer)
    def post(self, request, child_id):
        child = api_child(request, child_id, label=_("wat ouders zien van gezondheid en ondersteuning (API)"))
        serializer = ParentViewChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent_view.set_shared(
            Actor.from_request(request, "api"),
            child,
            serializer.validated_data["category"],
            serializer.validated_data["shared"],
        )
        return Response(self._data(request, child))


def register(router) -> list:
    return [
        path("children/<int:child_id>/consents/", ChildConsents.as_view(), name="child-consents"),
        path("children/<int:child_id>/consents/<int:consent_id>/sign/", ConsentSign.as_view(), name="consent-sign"),
        path(
            "children/<int:child_id>/consents/<int:consent_id>/revoke/", ConsentRevoke.as_view(), name="consent-revoke"
        ),
        path("children/<int:child_id>/parent-view/", ChildParentView.as_view(), name="child-parent-view"),
    ]
