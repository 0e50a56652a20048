"""Conversations (gesprekken) with the child at the table: purpose, participants, preparation, outcome."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.owner import OwnedRecord
from apps.circles.models import Child
from apps.consent.models import Category


class Kind(models.TextChoices):
    START = "start", _("startgesprek")
    PROGRESS = "progress", _("voortgangsgesprek")
    CARE = "care", _("zorggesprek / MDO")
    ABSENCE = "absence", _("verzuimgesprek")
    OTHER = "other", _("ander gesprek")


# Which information category a conversation belongs to, for the access policy. Start and progress
# conversations are about how the child develops at school (DEVELOPMENT); care/MDO conversations are
# about support, like the plan (SUPPORT); absence conversations sit with absence data (HEALTH);
# "other" is treated as support, the stricter of the two for outside professionals.
KIND_CATEGORY = {
    Kind.START: Category.DEVELOPMENT,
    Kind.PROGRESS: Category.DEVELOPMENT,
    Kind.CARE: Category.SUPPORT,
    Kind.ABSENCE: Category.HEALTH,
    Kind.OTHER: Category.SUPPORT,
}


class Status(models.TextChoices):
    PLANNED = "planned", _("gepland")
    HELD = "held", _("gehouden")
    CANCELLED = "cancelled", _("geannuleerd")


class Conversation(OwnedRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(_("soort gesprek"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    purpose = models.CharField(_("doel van het gesprek"), max_length=500)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    video_url = models.URLField(_("videolink"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_conversations"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    child_invited = models.BooleanField(_("kind is uitgenodigd"), default=True)
    child_not_invited_reason = models.CharField(_("waarom het kind er niet bij is"), max_length=300, blank=True)
    notes = models.TextField(_("aantekeningen"), blank=True)
    went_well = models.TextField(_("wat ging goed"), blank=True)
    concerns = models.TextField(_("zorgen"), blank=True)
    feedback = models.TextField(_("terugkoppeling"), blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The line this conversation put on the child's timeline when its feedback was first sent (once).
    timeline_entry = models.OneToOneField(
        "timeline.TimelineEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(_("reden van annuleren"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organiser", "starts_at"]), models.Index(fields=["child", "starts_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.child}"

    @property
    def category(self) -> str:
        return KIND_CATEGORY[Kind(self.kind)]

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED


class Participant(models.Model):
    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("ouder/verzorger")
        CHILD = "child", _("kind")
        PROFESSIONAL = "professional", _("professional")
        # Booked by the school for a family that wants one (docs/languages.md); often without an account.
        INTERPRETER = "interpreter", _("tolk")

    class Rsvp(models.TextChoices):
        PENDING = "pending", _("nog geen antwoord")
        YES = "yes", _("komt")
        NO = "no", _("komt niet")
        MAYBE = "maybe", _("misschien")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The child takes part even without an account of its own (under 12): then user is empty.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="conversation_seats"
    )
    name = models.CharField(max_length=200)
    # An interpreter's language (a code of settings.LANGUAGES); empty for everyone else.
    language = models.CharField(_("taal"), max_length=10, blank=True)
    rsvp = models.CharField(_("komt u?"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], condition=models.Q(user__isnull=False), name="one_seat_per_person"
            ),
            models.UniqueConstraint(
                fields=["conversation"], condition=models.Q(kind="child"), name="one_child_seat_per_conversation"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def language_name(self) -> str:
        """An interpreter's language in its own name (settings.LANGUAGES)."""
        return dict(settings.LANGUAGES).get(self.language, self.language)


class Preparation(models.Model):
    """A participant's answers to the short preparation form. The child's voice is a field of its own."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="preparations")
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="preparation")
    answers = models.JSONField(default=dict)
    mood = models.CharField(_("hoe voel je je?"), max_length=20, blank=True)
    shared = models.BooleanField(_("de anderen mogen dit zien"), default=True)
    filled_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)


class Outcome(models.Model):
    """An outcome of the meeting that became an agreement in the child's plan in the same step."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="outcomes")
    agreement = models.ForeignKey("plans.Agreement", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
