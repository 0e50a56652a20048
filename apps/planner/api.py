"""REST endpoint for booking a start-of-year slot by time (the same `book_slot` as the web page)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.conversations.serializers import BookingRequestSerializer, BookingSerializer

from . import services
from .models import Round


class BookingCreate(APIView):
    @extend_schema(request=BookingRequestSerializer, responses={201: BookingSerializer})
    def post(self, request):
        data = BookingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        rnd = get_object_or_404(Round, pk=d["round"])
        child = get_object_or_404(Child.objects.prefetch_related("guardianships"), pk=d["child"])
        try:
            booking = services.book_at(
                Actor.from_request(request, "api"), rnd, child, d["starts_at"], together=d["together"]
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


def register(router) -> list:
    return [path("planner/bookings/", BookingCreate.as_view(), name="planner-booking")]
