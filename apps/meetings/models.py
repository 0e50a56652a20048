"""Parent meetings and learning communities (seed 004), their tables, and the actions that follow (seed 000)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import School

from .keys import SevenKey

STALLED_AFTER = timedelta(weeks=6)


class LearningCommunity(models.Model):
    """A learning community (seed 000, docs/learning-community.md): named members with their role in it,
    and a series of sessions (meetings) under one name."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="learning_communities")
    name = models.CharField(_("naam"), max_length=200)
    goal = models.TextField(_("doel"), blank=True)
    planned_sessions = models.PositiveSmallIntegerField(_("aantal bijeenkomsten"), default=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leergemeenschap")
        verbose_name_plural = _("leergemeenschappen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class CommunityMember(models.Model):
    """A named member of a learning community. The role is a role within the community, not an access role:
    it gives nobody access to a child's data."""

    class Role(models.TextChoices):
        PARENT = "parent", _("ouder")
        TEACHER = "teacher", _("leerkracht")
        MENTOR = "mentor", _("mentor")
        IB = "ib", _("IB'er")
        DIRECTOR = "director", _("directeur")
        CJG = "cjg", _("CJG-medewerker")
        PROCESS_FACILITATOR = "process_facilitator", _("procesbegeleider")
        RESEARCHER = "researcher", _("onderzoeker")
        PUPIL = "pupil", _("leerling")
        OTHER = "other", _("anders")

    community = models.ForeignKey(LearningCommunity, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="community_memberships")
    role = models.CharField(_("rol in de leergemeenschap"), max_length=30, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "user__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_community")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PARENT_EVENING = "parent_evening", _("ouderavond")
        LEARNING_COMMUNITY = "learning_community", _("bijeenkomst leergemeenschap")
        STUDY_DAY = "study_day", _("studiedag")
        JOINT_DAY = "joint_day", _("gezamenlijke dag met leerlingenraad en CJG")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, default=Kind.PARENT_EVENING)
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("datum en begintijd"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    rsvp_deadline = models.DateTimeField(_("aanmelden kan tot"))
    invitation_text = models.TextField(_("tekst van de uitnodiging"), blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meeting_action_teams", verbose_name=_("actieteam")
    )
    community = models.ForeignKey(
        LearningCommunity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("leergemeenschap"),
    )
    session_number = models.PositiveSmallIntegerField(_("bijeenkomst nummer"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    @property
    def rsvp_open(self) -> bool:
        return timezone.now() <= self.rsvp_deadline


class ChecklistItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("wat"), max_length=300)
    done = models.BooleanField(_("gedaan"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


MINUTES_PER_DAY = 24 * 60


def minutes_into_meeting_day(meeting, moment) -> int:
    """Minutes since midnight of the meeting's day, for ordering and overlap checks.

    A time more than 12 hours before the start belongs to the next day, so an evening that runs past
    midnight keeps its order and its overlaps (00:10 comes after 23:50), while a set-up item just before
    the start stays before it.
    """
    start = timezone.localtime(meeting.starts_at)
    base = start.hour * 60 + start.minute
    minutes = moment.hour * 60 + moment.minute
    return minutes + MINUTES_PER_DAY if minutes < base - MINUTES_PER_DAY // 2 else minutes


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    start = models.TimeField(_("begintijd"))
    duration = models.PositiveSmallIntegerField(_("duur (minuten)"))
    who = models.CharField(_("wie"), max_length=200, blank=True)
    topic = models.CharField(_("gesprekspunt / actie"), max_length=300)
    remark = models.CharField(_("opmerking"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self):
        return self.topic

    @property
    def start_minutes(self) -> int:
        return minutes_into_meeting_day(self.meeting, self.start)

    @property
    def end_minutes(self) -> int:
        return self.start_minutes + self.duration

    @property
    def end_label(self) -> str:
        end = self.end_minutes % MINUTES_PER_DAY
        return f"{end // 60:02d}:{end % 60:02d}"


class Theme(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("thema"), max_length=200)
    questions = models.TextField(_("vragen (één per regel)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]


class Invitation(models.Model):
    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("ouder/verzorger")
        STAFF = "staff", _("schoolpersoneel")
        PUPIL_COUNCIL = "pupil_council", _("leerlingenraad")
        PARTNER = "partner", _("partner (CJG)")
        COMMUNITY = "community", _("lid van de leergemeenschap")

    class Reply(models.TextChoices):
        PENDING = "pending", _("nog geen antwoord")
        YES = "yes", _("komt")
        NO = "no", _("komt niet")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_invitations")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("rol aan tafel"), max_length=20, default="parent")  # a grouping.ROLE_CATEGORY key
    is_leader = models.BooleanField(_("gespreksleider"), default=False)
    reply = models.CharField(_("antwoord"), max_length=10, choices=Reply.choices, default=Reply.PENDING)
    replied_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_per_person")]

    def __str__(self):
        return f"{self.user} – {self.meeting}"


class GroupingWish(models.Model):
    class Kind(models.TextChoices):
        TOGETHER = "together", _("samen")
        APART = "apart", _("apart")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="wishes")
    first = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)


class Table(models.Model):
    """One theme table (group) of a stored division."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField()
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="tables")
    explanation = models.CharField(max_length=300)
    members = models.ManyToManyField(Invitation, related_name="tables")
    notes = models.TextField(_("aantekeningen"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="unique_table_number")]

    def __str__(self):
        return _("Tafel %(n)d") % {"n": self.number}


class Outcome(models.Model):
    """What was said at a table: the input parents should later see return as actions."""

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField(_("wat is er gezegd"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text[:60]


class WorkingPrinciple(models.Model):
    """A werkprincipe such as "korte lijntjes" or "mét het kind" (seed 000)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="working_principles")
    name = models.CharField(_("werkprincipe"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_principle_per_school")]

    def __str__(self):
        return self.name


class ActionItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        STARTED = "started", _("in gang gezet")
        DONE = "done", _("gerealiseerd")
        STOPPED = "stopped", _("gestopt")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="meeting_actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(_("actie"), max_length=300)
    principles = models.ManyToManyField(WorkingPrinciple, blank=True, verbose_name=_("werkprincipes"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions", verbose_name=_("eigenaar")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    stopped_reason = models.CharField(_("reden van stoppen"), max_length=500, blank=True)
    # Hook for the knowledge base: the key this action works on (docs/learning-community.md).
    key = models.CharField(_("sleutel"), max_length=30, choices=SevenKey.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("actie")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.STARTED)

    def is_stalled(self, now=None) -> bool:
        """Open and no progress update for six weeks (seed 000: started but never got off the ground)."""
        return self.is_open and (now or timezone.now()) - self.last_activity_at >= STALLED_AFTER


class ActionUpdate(models.Model):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("voortgang"))
    status = models.CharField(_("status"), max_length=10, choices=ActionItem.Status.choices)
    # Set when the director restarted the action with a new owner: the history keeps who had it before.
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
