from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import Agreement, AgreementStatus, Goal, PlanChange


class GoalSerializer(serializers.ModelSerializer):
    # Blank when the goal has no life domain: a plain string, so the schema allows "" (docs/opp.md).
    life_domain = serializers.CharField(
        read_only=True, help_text="school, health, family, housing, free_time, safety or empty."
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "text",
            "child_words",
            "evaluate_on",
            "evaluation",
            "life_domain",
            "family_goal_id",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


STATUS_HELP = "One of: " + ", ".join(AgreementStatus.values) + " (dropped needs a reason)."


class AgreementSerializer(serializers.ModelSerializer):
    # A plain string: other apps have a "status" enum too, and colliding enum names break the schema.
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    owner = serializers.CharField(source="owner.full_name", read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    goal_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = ["id", "what", "owner", "owner_id", "due", "status", "reason", "goal_id", "version", "updated_at"]
        read_only_fields = fields


class PlanChangeSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.full_name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(PlanChange.Kind.values))

    class Meta:
        model = PlanChange
        fields = ["id", "kind", "summary", "by", "at"]
        read_only_fields = fields


class PlanSerializer(serializers.Serializer):
    goals = GoalSerializer(many=True)
    agreements = AgreementSerializer(many=True)
    changes_since_last_visit = PlanChangeSerializer(many=True)
    last_visit = serializers.DateTimeField(allow_null=True)


class AgreementWriteSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=500)
    owner_id = serializers.IntegerField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True)
    goal_id = serializers.IntegerField(required=False, allow_null=True)


class AgreementStatusSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=STATUS_HELP)

    def validate_status(self, value):
        if value not in AgreementStatus.values:
            raise serializers.ValidationError("Kies een van: " + ", ".join(AgreementStatus.values))
        return value

    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(help_text="The version you edited; a newer version on the server gives 409.")


class AgreementPatchSerializer(serializers.Serializer):
    """Change an agreement: any of what/owner_id/due (same rules as adding one) and/or status with
    reason. Fields left out keep their value; `version` is always required."""

    what = serializers.CharField(max_length=500, required=False)
    owner_id = serializers.IntegerField(required=False, help_text="A person in the child's circle.")
    due = serializers.DateField(required=False, help_text="A changed date may not lie in the past.")
    status = serializers.CharField(required=False, help_text=STATUS_HELP)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    version = serializers.IntegerField(help_text="The version you edited; a newer version on the server gives 409.")

    def validate_status(self, value):
        if value not in AgreementStatus.values:
            raise serializers.ValidationError("Kies een van: " + ", ".join(AgreementStatus.values))
        return value

    def validate(self, attrs):
        if not set(attrs) & {"what", "owner_id", "due", "status"}:
            raise serializers.ValidationError(_("Geef minstens een van: what, owner_id, due, status."))
        if attrs.get("status") == AgreementStatus.DROPPED and not (attrs.get("reason") or "").strip():
            # checked before anything is saved, so text and status change together or not at all
            raise serializers.ValidationError({"reason": _("Schrijf op waarom deze afspraak vervalt.")})
        return attrs


class GoalWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    child_words = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    evaluate_on = serializers.DateField()


class GoalAddSerializer(GoalWriteSerializer):
    """A new goal may carry a life domain and build on one of the family's own goals (docs/opp.md)."""

    life_domain = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    family_goal_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class GoalChangeSerializer(GoalWriteSerializer):
    evaluation = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(help_text="The version you edited; a newer version on the server gives 409.")
