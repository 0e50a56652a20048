from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Conversation, Kind, Participant


@extend_schema_field(
    {"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}], "description": "A URL, or empty for none"}
)
class OptionalURLField(serializers.CharField):
    """A URL or the empty string. The schema says so: "" is not a valid `format: uri` on its own. (A URLField,
    or a URLValidator in `validators`, would put that format back into the schema.)"""

    default_error_messages = {"invalid_url": serializers.URLField.default_error_messages["invalid"]}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value:
            try:
                URLValidator()(value)
            except DjangoValidationError:
                self.fail("invalid_url")
        return value


class ParticipantSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="guardian, child or professional")

    class Meta:
        model = Participant
        fields = ["id", "kind", "name", "rsvp"]
        read_only_fields = fields


class ConversationSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    organiser = serializers.CharField(source="organiser.full_name", read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text="planned, held or cancelled")
    video_url = OptionalURLField(read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id", "child", "child_name", "kind", "purpose", "starts_at", "ends_at", "place", "video_url", "organiser",
            "status", "child_invited", "child_not_invited_reason", "participants", "feedback", "feedback_sent_at",
            "cancel_reason",
        ]  # fmt: skip
        read_only_fields = fields


class OutcomeSerializer(serializers.Serializer):
    what = serializers.CharField(source="agreement.what")
    owner = serializers.CharField(source="agreement.owner.full_name")
    due = serializers.DateField(source="agreement.due")
    agreement = serializers.IntegerField(source="agreement_id")


class PreparationSerializer(serializers.Serializer):
    participant = serializers.CharField(source="participant.name")
    kind = serializers.CharField(source="participant.kind")
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
    mood = serializers.CharField()
    shared = serializers.BooleanField()


class ConversationDetailSerializer(ConversationSerializer):
    """One conversation with the agreements made and the preparation answers this caller may see."""

    outcomes = OutcomeSerializer(many=True, read_only=True)
    preparations = serializers.SerializerMethodField()

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "notes", "went_well", "concerns", "outcomes", "preparations"]
        read_only_fields = fields

    @extend_schema_field(PreparationSerializer(many=True))
    def get_preparations(self, obj):
        from .services import visible_preparations

        return PreparationSerializer(visible_preparations(self.context["request"].user, obj), many=True).data


class ConversationCreateSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    purpose = serializers.CharField(allow_blank=True, max_length=500, required=False, default="")
    starts_at = serializers.DateTimeField()
    minutes = serializers.IntegerField(default=30)
    place = serializers.CharField(allow_blank=True, required=False, default="")
    video_url = OptionalURLField(allow_blank=True, required=False, default="")
    participants = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    child_invited = serializers.BooleanField(required=False, allow_null=True, default=None)
    child_not_invited_reason = serializers.CharField(allow_blank=True, required=False, default="")


class RsvpSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[c for c in Participant.Rsvp.choices if c[0] != Participant.Rsvp.PENDING],
        error_messages={"invalid_choice": _("Kies yes, no of maybe.")},
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300)


class BookingRequestSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    child = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    together = serializers.BooleanField(default=True)


class BookingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    child = serializers.IntegerField(source="child_id")
    together = serializers.BooleanField()
    conversation = serializers.IntegerField(source="conversation_id")
