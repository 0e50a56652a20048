from rest_framework import serializers

from apps.accounts.models import User
from apps.organisations.models import CareOrganisation

from . import rules
from .models import PARENT_VIEW_CATEGORIES, Category, Consent


class ConsentSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    grantee = serializers.CharField(source="grantee.full_name", read_only=True, allow_null=True)
    categories = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    signed_by = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "organisation",
            "grantee",
            "categories",
            "purpose",
            "starts_on",
            "ends_on",
            "status",
            "signed_by",
            "created_at",
            "completed_at",
            "revoked_at",
        ]
        read_only_fields = fields

    def get_categories(self, obj) -> list[str]:
        return obj.category_values

    def get_status(self, obj) -> str:
        return rules.status(obj)

    def get_signed_by(self, obj) -> list[str]:
        return [s.signer.full_name for s in obj.signatures.all()]


class ConsentCreateSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=CareOrganisation.objects.all())
    grantee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices), min_length=1)
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ParentViewCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=[(c, c) for c in PARENT_VIEW_CATEGORIES])
    label = serializers.CharField()
    shared = serializers.BooleanField(help_text="Whether the parents see this category today.")
    chosen_at = serializers.DateTimeField(source="choice.decided_at", allow_null=True, default=None)


class ParentViewSerializer(serializers.Serializer):
    """What the parents see of health and support; from 16 the young person decides (docs/age-rules.md)."""

    young_person_decides = serializers.BooleanField()
    decides_from = serializers.DateField(help_text="The 16th birthday.")
    categories = ParentViewCategorySerializer(many=True)
    can_change = serializers.BooleanField()


class ParentViewChangeSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=[(c, c) for c in PARENT_VIEW_CATEGORIES])
    shared = serializers.BooleanField()
