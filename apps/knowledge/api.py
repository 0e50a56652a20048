"""The knowledge base, read-only, for every signed-in person (no child data): GET /api/v1/knowledge/…"""

from rest_framework import serializers, viewsets

from . import services
from .models import Intervention, Key, Recommendation, RecommendationIntervention


class KeySerializer(serializers.ModelSerializer):
    class Meta:
        model = Key
        fields = ["id", "slug", "kind", "name", "summary"]


class InterventionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Intervention
        fields = ["id", "name", "description", "recognition", "recognition_note", "asks_of_school", "source"]


class UseSerializer(serializers.ModelSerializer):
    intervention = serializers.CharField(source="intervention.name")
    intervention_id = serializers.IntegerField()

    class Meta:
        model = RecommendationIntervention
        fields = ["intervention_id", "intervention", "how"]


class RecommendationSerializer(serializers.ModelSerializer):
    keys = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    interventions = UseSerializer(source="uses", many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "code", "title", "text", "practice", "keys", "interventions"]


class KeyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = KeySerializer
    queryset = Key.objects.all()


class InterventionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InterventionSerializer
    queryset = Intervention.objects.all()


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecommendationSerializer

    def get_queryset(self):
        return services.recommendations()


def register(router) -> list:
    router.register("knowledge/keys", KeyViewSet, basename="knowledge-key")
    router.register("knowledge/interventions", InterventionViewSet, basename="knowledge-intervention")
    router.register("knowledge/recommendations", RecommendationViewSet, basename="knowledge-recommendation")
    return []
