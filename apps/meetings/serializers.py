from datetime import datetime

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.organisations.models import School

from . import services
from .models import ActionItem, AgendaItem, Invitation, Meeting, Outcome, Table, Theme
from .states import action_state

CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": CLOCK_TIME_PATTERN,
        "example": "19:30:00",
        "description": "Clock time of the meeting's day in Dutch time, HH:MM[:SS], without a UTC offset",
    }
)
class ClockTimeField(serializers.TimeField):
    """An agenda time is a clock time ("19:30"), not an instant: the schema must not call it `format: time`,
    which (RFC 3339) requires a UTC offset that these values never carry."""


class AgendaItemSerializer(serializers.ModelSerializer):
    start = ClockTimeField()

    class Meta:
        model = AgendaItem
        fields = ["id", "start", "duration", "who", "topic", "remark", "version"]


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "full_name"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "title", "question_list"]


class MeetingSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.name")
    agenda = serializers.SerializerMethodField()
    themes = ThemeSerializer(many=True, read_only=True)
    action_team = TeamMemberSerializer(many=True, read_only=True)
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
            "invitation_text",
            "version",
            "agenda",
            "agenda_total_minutes",
            "themes",
            "action_team",
        ]

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, meeting):
        """In running order: an evening that runs past midnight lists 00:10 after 23:50."""
        return AgendaItemSerializer(services.ordered_agenda(meeting), many=True).data

    def get_agenda_total_minutes(self, meeting) -> int:
        return sum(item.duration for item in meeting.agenda.all())


class TableSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.title", read_only=True, allow_null=True, default=None)
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
    theme = serializers.CharField(source="theme.title", read_only=True, allow_null=True, default=None)
    stalled = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField(help_text="planned, running, stalled, done or stopped")
    state_since = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "number",
            "title",
            "status",
            "owner",
            "principles",
            "theme",
            "meeting",
            "stalled",
            "state",
            "state_since",
            "stopped_reason",
            "key",
            "version",
        ]

    def get_stalled(self, action) -> bool:
        return action.is_stalled()

    def get_state(self, action) -> str:
        """The real state as "jullie zeiden, wij deden" shows it (apps/meetings/states.py)."""
        return action_state(action).code

    def get_state_since(self, action) -> datetime | None:
        return action_state(action).since


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


class MeetingPatchSerializer(serializers.Serializer):
    """Only the fields sent change; `version` is the one the client read (a newer one gives 409)."""

    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False)
    rsvp_deadline = serializers.DateTimeField(required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    invitation_text = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class MeetingConflictSerializer(serializers.Serializer):
    detail = serializers.ListField(child=serializers.CharField())
    current = MeetingSerializer()


class AgendaItemCreateSerializer(serializers.Serializer):
    start = ClockTimeField()
    duration = serializers.IntegerField(max_value=24 * 60)  # the service refuses less than a minute in Dutch
    topic = serializers.CharField(max_length=300)
    who = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    remark = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AgendaItemPatchSerializer(serializers.Serializer):
    start = ClockTimeField(required=False)
    duration = serializers.IntegerField(max_value=24 * 60, required=False)
    topic = serializers.CharField(max_length=300, required=False)
    who = serializers.CharField(max_length=200, required=False, allow_blank=True)
    remark = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class AgendaItemConflictSerializer(serializers.Serializer):
    detail = serializers.ListField(child=serializers.CharField())
    current = AgendaItemSerializer()


class ThemeCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    questions = serializers.CharField(required=False, allow_blank=True, default="")


class ActionTeamAddSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="A colleague at the meeting's school.")


class ActionCreateSerializer(serializers.Serializer):
    """A new action of a meeting; `outcome` and `theme` must belong to that meeting. The status starts as
    planned and moves with progress updates, so the history parents see stays complete."""

    title = serializers.CharField(max_length=300, allow_blank=True)  # blank: the service's Dutch message
    owner = serializers.IntegerField(required=False, help_text="Staff member of the school; default: the caller.")
    principles = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, help_text="Werkprincipes by name."
    )
    theme = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.none(), required=False, allow_null=True)
    outcome = serializers.PrimaryKeyRelatedField(queryset=Outcome.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["theme"].queryset = meeting.themes.all()
            self.fields["outcome"].queryset = Outcome.objects.filter(table__meeting=meeting).select_related(
                "table__theme"
            )
