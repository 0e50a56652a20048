from rest_framework import serializers

from .models import CorrectionRequest, InspectionRequest, Statement


class InspectionRequestSerializer(serializers.ModelSerializer):
    answer_by = serializers.DateField(read_only=True)
    ready = serializers.SerializerMethodField()

    class Meta:
        model = InspectionRequest
        fields = [
            "id",
            "child",
            "scope",
            "note",
            "received_at",
            "due_on",
            "extended_to",
            "extension_reason",
            "answer_by",
            "status",
            "ready",
            "ready_at",
            "size",
        ]
        read_only_fields = fields

    def get_ready(self, obj) -> bool:
        return obj.status == InspectionRequest.Status.READY


class InspectionRequestWriteSerializer(serializers.Serializer):
    youth_care = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class StatementSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "child", "target_type", "target_id", "category", "text", "author_name", "created_at"]
        read_only_fields = fields


TARGET_TYPES = [("timeline_entry", "timeline_entry"), ("agreement", "agreement"), ("conversation", "conversation")]


class StatementWriteSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=TARGET_TYPES)
    target_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(max_length=3000)


class CorrectionRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "child",
            "target_type",
            "target_id",
            "category",
            "current_text",
            "proposed_text",
            "explanation",
            "requested_at",
            "due_on",
            "status",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class CorrectionRequestWriteSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=TARGET_TYPES[:2])
    target_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    proposed_text = serializers.CharField(max_length=1000)
    explanation = serializers.CharField(max_length=1000)


class CorrectionDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    decision_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
