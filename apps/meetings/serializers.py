from rest_framework import serializers

from apps.organisations.models import School

from .models import ActionItem, AgendaItem, Invitation, Meeting, Table, Theme


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "start", "duration", "who", "topic", "remark"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "title", "question_list"]


class MeetingSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.name")
    agenda = AgendaItemSerializer(many=True, read_only=True)
    themes = ThemeSerializer(many=True, read_only=True)
    agenda_total_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "school",
            "kind",
            "title",
            "starts_at",
            "location",
            "rsvp_deadline",
            "agenda",
            "agenda_total_minutes",
            "themes",
        ]

    def get_agenda_total_minutes(self, meeting) -> int:
        return sum(item.duration for item in meeting.agenda.all())


class TableSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.title", default=None)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Table
        fields = ["id", "number", "theme", "explanation", "members"]

    def get_members(self, table) -> list[dict]:
        return [
            {"invitation": m.pk, "name": m.user.full_name, "role": m.role, "is_leader": m.is_leader}
            for m in table.members.all()
        ]


class DivideSerializer(serializers.Serializer):
    n_groups = serializers.IntegerField(min_value=1, max_value=200)


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.full_name")
    principles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    theme = serializers.CharField(source="theme.title", default=None)
    stalled = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "number", "title", "status", "owner", "principles", "theme", "meeting", "stalled"]

    def get_stalled(self, action) -> bool:
        return action.is_stalled()


class ActionUpdateSerializer(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    version = serializers.IntegerField(min_value=1)


class MeetingCreateSerializer(serializers.Serializer):
    """A new meeting at one of the caller's schools; with `use_template` it starts with the seed-004 draaiboek."""

    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.none())
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, default=Meeting.Kind.PARENT_EVENING)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    rsvp_deadline = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    invitation_text = serializers.CharField(required=False, allow_blank=True, default="")
    use_template = serializers.BooleanField(default=True)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else School.objects.none()


class MeetingRsvpSerializer(serializers.Serializer):
    reply = serializers.ChoiceField(choices=[Invitation.Reply.YES, Invitation.Reply.NO])


class MeetingInvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "meeting", "kind", "reply", "replied_at"]
