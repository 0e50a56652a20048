from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.meetings.keys import SevenKey

from .models import FIT_MAX, FIT_MIN, ActionPoint, CaseReview, Factor, Level, Participant


class CaseReviewParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "user", "name", "perspective", "role", "fit", "fit_note"]


class CaseReviewFactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Factor
        fields = ["id", "kind", "level", "key", "text", "created_at"]


class CaseReviewActionPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPoint
        fields = ["id", "text", "destination", "key", "agreement", "board_action", "created_at"]


class CaseReviewSerializer(serializers.ModelSerializer):
    participants = CaseReviewParticipantSerializer(many=True, read_only=True)
    factors = CaseReviewFactorSerializer(many=True, read_only=True)
    action_points = CaseReviewActionPointSerializer(many=True, read_only=True)
    family_fit = serializers.SerializerMethodField()
    professional_fit = serializers.SerializerMethodField()

    class Meta:
        model = CaseReview
        fields = [
            "id",
            "child",
            "school",
            "coordinator",
            "held_on",
            "status",
            "participants",
            "family_fit",
            "professional_fit",
            "factors",
            "action_points",
        ]

    def _mean(self, obj, perspective) -> float | None:
        values = [p.fit for p in obj.participants.all() if p.perspective == perspective and p.fit is not None]
        return round(sum(values) / len(values), 1) if values else None

    def get_family_fit(self, obj) -> float | None:
        return self._mean(obj, Participant.Perspective.FAMILY)

    def get_professional_fit(self, obj) -> float | None:
        return self._mean(obj, Participant.Perspective.PROFESSIONAL)


class CaseReviewListSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseReview
        fields = ["id", "child", "school", "held_on", "status"]


class CaseReviewCreateSerializer(serializers.Serializer):
    child_id = serializers.IntegerField()
    held_on = serializers.DateField(required=False)


class FitWriteSerializer(serializers.Serializer):
    participant_id = serializers.IntegerField()
    fit = serializers.IntegerField(
        min_value=FIT_MIN,
        max_value=FIT_MAX,
        error_messages={
            "min_value": _("Kies een getal van 1 (helemaal niet passend) tot 5 (helemaal passend)."),
            "max_value": _("Kies een getal van 1 (helemaal niet passend) tot 5 (helemaal passend)."),
        },
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class FactorWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Factor.Kind.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    key = serializers.ChoiceField(choices=SevenKey.choices, required=False, allow_blank=True)
    text = serializers.CharField(max_length=500)


class ActionPointWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    destination = serializers.ChoiceField(choices=ActionPoint.Destination.choices)
    owner_id = serializers.IntegerField()
    due = serializers.DateField(required=False, allow_null=True)
    key = serializers.ChoiceField(choices=SevenKey.choices, required=False, allow_blank=True)


class SummaryRowSerializer(serializers.Serializer):
    level = serializers.CharField()
    key = serializers.CharField()
    reviews = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    n_reviews = serializers.IntegerField()
    shown = serializers.BooleanField()
    reason = serializers.CharField()
    hindered = SummaryRowSerializer(many=True)
    helped = SummaryRowSerializer(many=True)
    family_fit = serializers.FloatField(allow_null=True)
    professional_fit = serializers.FloatField(allow_null=True)
