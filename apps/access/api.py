"""Shared API pieces: authentication gate and the child lookup every endpoint uses."""

from django.core.cache import caches
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, status, throttling
from rest_framework.response import Response

from apps.accounts.twofactor import two_factor_missing
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category

from .policy import Action, authorize
from .shortcuts import load_child


class ProfessionalsHaveTwoFactor(permissions.IsAuthenticated):
    message = _("Stel eerst tweestapsverificatie in voordat u gegevens van kinderen kunt zien.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and not two_factor_missing(request.user)


def api_child(
    request, child_id, action: str = Action.VIEW, category: str = Category.BASIC, *, label: str = "", obj=None
) -> Child:
    child = load_child(child_id)
    authorize(Actor.from_request(request, "api"), action, child, category, obj=obj, label=label)
    return child


def as_api_error(error: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError({"detail": error.messages})


def stale_response(error, serializer_class, current=None) -> Response:
    """409 with the Dutch message and the item as it is now (REL-06), so the client can show both and retry."""
    current = error.current if current is None else current
    return Response(
        {"detail": error.messages, "current": serializer_class(current).data}, status=status.HTTP_409_CONFLICT
    )


class UserRateThrottle(throttling.UserRateThrottle):
    """DRF's throttle on the per-process cache: it would otherwise write to the shared database cache on every
    API request."""

    cache = caches["local"]


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = caches["local"]
