from rest_framework import serializers

from .models import Child, CircleMember, Guardianship


class ChildSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name", read_only=True)
    school = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name", "date_of_birth", "group", "school"]
        read_only_fields = fields


class CircleMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    organisation = serializers.CharField(source="organisation_name", read_only=True)
    via_consent = serializers.BooleanField(
        read_only=True, default=False, help_text="In the circle through a consent, for as long as it is valid."
    )

    class Meta:
        model = CircleMember
        fields = ["id", "name", "role", "organisation", "since", "until", "is_coordinator", "via_consent"]
        read_only_fields = fields


class GuardianSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Guardianship
        fields = ["id", "name", "relation", "has_authority"]
        read_only_fields = fields


class CircleSerializer(serializers.Serializer):
    guardians = GuardianSerializer(many=True)
    members = CircleMemberSerializer(many=True)
    coordinator = CircleMemberSerializer(allow_null=True)


class InformationRequestSerializer(serializers.ModelSerializer):
    """A parent without gezag's request for information (BW 1:377c), with the school's decision and reason."""

    status = serializers.CharField(read_only=True)
    ground = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True)
    valid_until = serializers.DateField(read_only=True)

    class Meta:
        from .models import InformationRequest

        model = InformationRequest
        fields = ["id", "child", "question", "requested_at", "status", "ground", "reason", "decided_at", "valid_until"]
        read_only_fields = ["id", "requested_at"]
        extra_kwargs = {
            "child": {"queryset": Child.objects.all()},
            "question": {"required": False, "allow_blank": True},
        }


class InformationDecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    ground = serializers.ChoiceField(choices=["same_as_gezag", "not_given_to_gezag", "child_interest"])
    reason = serializers.CharField(allow_blank=True, required=False, default="")
