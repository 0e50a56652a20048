"""The partnership monitor (docs/learning.md): waves of short questionnaires, stored anonymously.

Anonymity by construction:
- `Response` and `Answer` hold no user, no time, no IP: only the wave, the school, the perspective and,
  when at least `CLASS_MIN` people of that perspective in that class had answered, the class. Their keys
  are random UUIDs, so neither their ids nor their order say anything about who answered when.
- `Participant` says who was invited and whether they answered, only so nobody answers twice and
  reminders go to those who did not. Its rows are written when the wave starts (the order of invitation,
  not of answering), it has no time field, and it shares no id or column with `Response`.
- `ChildCode`: children answer with a one-time code handed out in class, not tied to a child.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Group, School


class Perspective(models.TextChoices):
    PARENT = "parent", _("ouders")
    PROFESSIONAL = "professional", _("professionals")
    CHILD = "child", _("kinderen")


class Wave(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="monitor_waves")
    title = models.CharField(_("naam van de peiling"), max_length=200)
    opens_on = models.DateField(_("open vanaf"), default=timezone.localdate)
    closes_on = models.DateField(_("open tot en met"))
    groups = models.ManyToManyField(Group, related_name="monitor_waves", verbose_name=_("groepen"))
    perspectives = models.JSONField(_("wie vult in"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("peiling")
        verbose_name_plural = _("peilingen")

    def __str__(self):
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class Participant(models.Model):
    """Invited to a wave, and whether they answered. Never joined to a `Response` (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "user"], name="one_participant_per_wave")]


class ChildCode(models.Model):
    """A one-time code for one child's answers, handed out in class; not tied to any child."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="child_codes")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True)
    used = models.BooleanField(default=False)


class Response(models.Model):
    """One person's filled-in questionnaire: no user, no time, no IP."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["wave", "perspective"])]


class Answer(models.Model):
    """One item of a response: the item, the key it measures, and the score 1-5. The wave, perspective and class
    are copied from the response so the results are grouped from one covering index, without a join."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    item = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["wave", "perspective", "key", "value"], name="monitor_answer_totals"),
            models.Index(fields=["wave", "group", "perspective", "key", "value"], name="monitor_answer_class"),
        ]


class Finding(models.Model):
    """A result the school chose to act on: the key, what the monitor showed, and the action it became."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="findings")
    key = models.CharField(_("sleutel"), max_length=40)
    summary = models.CharField(_("wat de peiling liet zien"), max_length=300)
    action = models.ForeignKey(
        "meetings.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("bevinding uit de peiling")
        verbose_name_plural = _("bevindingen uit de peiling")

    def __str__(self):
        return self.summary
