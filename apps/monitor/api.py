"""Waves of the partnership monitor, aggregates only and with the same thresholds as the pages:
GET /api/v1/monitor/waves/ and /api/v1/monitor/waves/<id>/?group=&perspective= (docs/learning.md)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from . import results
from .models import Perspective, Wave
from .permissions import running_schools


class WaveSerializer(serializers.ModelSerializer):
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Wave
        fields = ["id", "school", "title", "opens_on", "closes_on", "perspectives", "groups"]


def result_data(result) -> dict:
    return {
        "withheld": result.withheld,
        "min_answers": results.MIN_ANSWERS,
        "respondents": {p: (n or None) for p, _l, n in result.respondent_cells()},
        "keys": [
            {
                "key": key,
                "label": label,
                "perspectives": {
                    p: {"mean": cell.mean, "n": cell.n if cell.shown else None, "withheld": cell.withheld}
                    for p, cell in zip(result.perspectives, cells, strict=True)
                },
            }
            for key, label, cells in result.rows()
        ],
        "differences": result.difference_texts(),
        "weakest_keys": result.weakest_keys(),
    }


class WaveViewSet(viewsets.ReadOnlyModelViewSet):
    """Waves of the schools where the caller is director or IB'er (anyone else: an empty list, 404 for one)."""

    serializer_class = WaveSerializer

    def get_queryset(self):
        return Wave.objects.filter(school__in=running_schools(self.request.user)).prefetch_related("groups")

    @extend_schema(
        parameters=[
            OpenApiParameter("group", int, required=False),
            OpenApiParameter("perspective", str, required=False, enum=list(Perspective.values)),
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        wave = self.get_object()
        group = None
        if request.query_params.get("group"):
            group = get_object_or_404(wave.groups.all(), pk=request.query_params["group"])
        perspective = request.query_params.get("perspective") or None
        if perspective and perspective not in Perspective.values:
            raise serializers.ValidationError({"perspective": [_("Kies parent, professional of child.")]})
        result = results.wave_result(wave, group=group, perspective=perspective)
        return Response(
            {**WaveSerializer(wave).data, "group": group.pk if group else None, "result": result_data(result)}
        )


def register(router) -> list:
    router.register("monitor/waves", WaveViewSet, basename="monitor-wave")
    return []
