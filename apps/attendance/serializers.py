from rest_framework import serializers

from .models import Absence, LeaveRequest, SickReport, Signal, TestDay
from .texts import family_text, proposed_step


class SickReportWriteSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Eerste ziektedag; leeg is vandaag.")
    until = serializers.DateField(required=False, allow_null=True, help_text="Laatste ziektedag; leeg is tot beter.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SickReportSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="first_day")
    until = serializers.DateField(source="last_day", allow_null=True)

    class Meta:
        model = SickReport
        fields = ["id", "date", "until", "healthy_on", "note", "late", "reported_at"]


class AbsenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "day", "reason", "hours", "note", "recorded_at", "version"]


class SignalSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id")
    date = serializers.DateField(source="day")
    explanation = serializers.SerializerMethodField()
    proposed_step = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = ["id", "rule", "child", "date", "first_day", "hours", "step", "proposed_step", "due_on", "duo_status"]
        fields += ["explanation"]

    def get_explanation(self, obj) -> str:
        return family_text(obj)

    def get_proposed_step(self, obj) -> str:
        return proposed_step(obj)


class LeaveRequestWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LeaveRequest.Kind.choices)
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class LeaveRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaveRequest
        fields = ["id", "kind", "first_day", "last_day", "school_days", "reason", "status", "decision_reason"]
        fields += ["decided_at"]


class DuoFieldSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class DuoReportSerializer(serializers.Serializer):
    """A report to DUO's verzuimregister: the fields as on the printable page, its status and what may follow."""

    id = serializers.IntegerField()
    rule = serializers.CharField()
    child = serializers.IntegerField()
    fields = DuoFieldSerializer(many=True)
    status = serializers.CharField()
    status_on = serializers.DateField(allow_null=True)
    reference = serializers.CharField(allow_blank=True)
    next_statuses = serializers.ListField(child=serializers.CharField())


class DuoStatusWriteSerializer(serializers.Serializer):
    # A plain string: the service checks it against DUO's order and answers in Dutch (one enum in the schema).
    status = serializers.CharField(max_length=20, help_text="registered, in_progress, closed, withdrawn of noted.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=40)


class TestDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = TestDay
        fields = ["id", "day", "name"]


class JeugdartsReferralWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="De GGD waar de jeugdarts werkt.")
    question = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class JeugdartsReferralSerializer(serializers.Serializer):
    referral = serializers.IntegerField()
    organisation = serializers.CharField()
    status = serializers.CharField()
    consent = serializers.IntegerField()
