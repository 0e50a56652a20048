from rest_framework import serializers

from apps.consent.models import Category
from apps.core.params import MAX_ID, MAX_YEAR, MIN_YEAR

from .models import Kind, TimelineEntry

KIND_HELP = "One of: " + ", ".join(Kind.values)
CATEGORY_HELP = "Information category (consent decides who sees it). One of: " + ", ".join(Category.values)


def _validate_choice(value, choices):
    if value not in choices:
        raise serializers.ValidationError("Kies een van: " + ", ".join(choices))
    return value


class TimelineQuerySerializer(serializers.Serializer):
    """The timeline's filters in the query string: a value out of range is a 400, never a 500."""

    kind = serializers.ChoiceField(choices=Kind.values, required=False, help_text=KIND_HELP)
    author = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    page = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, default=1)


class TimelineEntrySerializer(serializers.ModelSerializer):
    # Plain strings with the values in the help text: the same choice sets exist elsewhere in the API
    # under other names, and duplicate enum components would break schema generation.
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    category = serializers.CharField(read_only=True, help_text=CATEGORY_HELP)
    author = serializers.CharField(source="author.full_name", read_only=True)
    author_id = serializers.IntegerField(read_only=True)
    author_role = serializers.CharField(read_only=True, default="", help_text="Who the author is for this child.")
    is_strength = serializers.BooleanField(read_only=True)

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "happened_on",
            "ends_on",
            "kind",
            "text",
            "category",
            "author",
            "author_id",
            "author_role",
            "is_strength",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TimelineEntryWriteSerializer(serializers.Serializer):
    happened_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    kind = serializers.CharField(help_text=KIND_HELP)
    text = serializers.CharField(max_length=500)
    category = serializers.CharField(required=False, allow_blank=True, help_text=CATEGORY_HELP)

    def validate_kind(self, value):
        return _validate_choice(value, Kind.values)

    def validate_category(self, value):
        return _validate_choice(value, Category.values) if value else value


class TimelineEntryCorrectSerializer(TimelineEntryWriteSerializer):
    version = serializers.IntegerField(help_text="The version you edited; a newer version on the server gives 409.")
    category = serializers.CharField(help_text=CATEGORY_HELP)


class TimelinePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    categories = serializers.ListField(child=serializers.CharField())
    results = TimelineEntrySerializer(many=True)
