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
