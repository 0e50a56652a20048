from rest_framework import serializers

from apps.accounts.models import Invite
from apps.circles.models import Child, Guardianship
from apps.organisations.models import Group


class PupilSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name", "group", "left_on"]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    pupil_count = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "name", "year_level", "school_year", "kind", "pupil_count"]
        read_only_fields = fields

    def get_pupil_count(self, group) -> int:
        return group.composite_count if group.kind == Group.Kind.COMPOSITE else group.base_count


class StatusField(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class GuardianRowSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    child_id = serializers.IntegerField(read_only=True)
    child = serializers.CharField(source="child.full_name", read_only=True)
    invitation = StatusField(source="status", read_only=True)

    class Meta:
        model = Guardianship
        fields = ["id", "name", "relation", "child_id", "child", "has_authority", "authority_status", "invitation"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    guardian = serializers.CharField(source="user.full_name", read_only=True, default="")
    children = serializers.SerializerMethodField()
    status = StatusField(read_only=True, allow_null=True)

    class Meta:
        model = Invite
        fields = ["id", "guardian", "email", "children", "created_at", "expires_at", "opened_at", "used_at", "status"]
        read_only_fields = fields

    def get_children(self, invite) -> list[int]:
        return [c.pk for c in invite.children.all()]
