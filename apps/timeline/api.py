"""REST endpoints of the timeline, under the same policy and access log as the web pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import as_api_error, stale_response
from apps.access.shortcuts import load_child
from apps.audit.log import Actor

from . import services
from .models import TimelineEntry
from .serializers import (
    TimelineEntryCorrectSerializer,
    TimelineEntrySerializer,
    TimelineEntryWriteSerializer,
    TimelinePageSerializer,
    TimelineQuerySerializer,
)


class TimelineView(APIView):
    """The child's timeline: only entries in categories the caller may see (consent decides)."""

    @extend_schema(parameters=[TimelineQuerySerializer], responses=TimelinePageSerializer)
    def get(self, request, child_id):
        child = load_child(child_id)
        query = TimelineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        data = services.read_timeline(
            Actor.from_request(request, "api"),
            child,
            kind=filters.get("kind", ""),
            author_id=filters.get("author"),
            year=filters.get("year"),
            page=filters["page"],
        )
        page = data.page
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "num_pages": page.paginator.num_pages,
                "categories": data.categories,
                "results": TimelineEntrySerializer(page.object_list, many=True).data,
            }
        )

    @extend_schema(request=TimelineEntryWriteSerializer, responses={201: TimelineEntrySerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = TimelineEntryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            entry = services.add_entry(Actor.from_request(request, "api"), child, **serializer.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class TimelineEntryView(APIView):
    """Correct an entry (author only). History is kept; a stale version gives 409 with the current entry."""

    @extend_schema(request=TimelineEntryCorrectSerializer, responses={200: TimelineEntrySerializer})
    def patch(self, request, child_id, entry_id):
        entry = get_object_or_404(TimelineEntry.objects.select_related("author"), pk=entry_id, child_id=child_id)
        entry.child = load_child(child_id)
        serializer = TimelineEntryCorrectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        version = values.pop("version")
        values.setdefault("ends_on", None)
        try:
            entry = services.correct_entry(
                Actor.from_request(request, "api"), entry, expected_version=version, **values
            )
        except services.StaleEdit as e:
            return stale_response(e, TimelineEntrySerializer)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(TimelineEntrySerializer(entry).data)


def register(router) -> list:
    return [
        path("children/<int:child_id>/timeline/", TimelineView.as_view(), name="child-timeline"),
        path(
            "children/<int:child_id>/timeline/<int:entry_id>/", TimelineEntryView.as_view(), name="child-timeline-entry"
        ),
    ]
