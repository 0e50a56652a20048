"""The help guide (wegwijzer / stappenplan) each school configures, and help questions routed from it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child
from apps.organisations.models import School


class HelpGuide(models.Model):
    """One per school: the introduction, and how fast a question must be acknowledged."""

    school = models.OneToOneField(School, on_delete=models.PROTECT, related_name="help_guide")
    intro = models.TextField(_("inleiding voor ouders"), blank=True)
    child_intro = models.TextField(_("inleiding voor kinderen"), blank=True)
    ack_school_days = models.PositiveSmallIntegerField(
        _("binnen hoeveel schooldagen oppakken"),
        default=2,
        help_text=_("Schooldagen zijn maandag tot en met vrijdag, behalve in de schoolvakanties."),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hulpwijzer")

    def __str__(self):
        return str(self.school)


def photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"helpguide/{uuid.uuid4().hex}.{ext}"


class Step(models.Model):
    """One step of the plan: who it is, how and when to reach them, and what happens next."""

    guide = models.ForeignKey(HelpGuide, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("stap"), max_length=150, help_text=_("Bijvoorbeeld: Praat met de leerkracht"))
    person_name = models.CharField(_("naam"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=150)
    photo = models.FileField(_("foto (mag leeg blijven)"), upload_to=photo_path, blank=True, max_length=300)
    how_to_reach = models.CharField(_("hoe bereikbaar"), max_length=300, blank=True)
    when_reachable = models.CharField(_("wanneer bereikbaar"), max_length=300, blank=True)
    languages = models.CharField(
        _("spreekt ook"),
        max_length=200,
        blank=True,
        help_text=_("Andere talen, bijvoorbeeld: Engels, Turks, Arabisch."),
    )
    description = models.TextField(_("wat kunt u hier doen"), blank=True)
    what_next = models.TextField(_("wat gebeurt er daarna"), blank=True)
    child_title = models.CharField(_("stap in kindertaal"), max_length=150, blank=True)
    child_text = models.TextField(_("uitleg in kindertaal"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("stap")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class StepVersion(models.Model):
    """A step written by the school in another language (docs/translation.md). It wins over a machine
    translation and is shown first to a reader in that language; the Dutch step is what counts."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("taal"), max_length=10)
    title = models.CharField(_("stap"), max_length=150)
    description = models.TextField(_("wat kunt u hier doen"), blank=True)
    what_next = models.TextField(_("wat gebeurt er daarna"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stap in een andere taal")
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["step", "language"], name="one_step_version_per_language")]

    def __str__(self):
        return f"{self.language}: {self.title}"


class Topic(models.Model):
    """A subject a question can be about, and the person it goes to (routing, configurable)."""

    guide = models.ForeignKey(HelpGuide, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("onderwerp"), max_length=150)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wie pakt dit op"),
        help_text=_("Leeg: de IB'er van de school."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("onderwerp")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class HelpQuestion(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "ontvangen", _("ontvangen")
        TAKEN = "opgepakt", _("opgepakt")
        DONE = "afgerond", _("afgerond")

    class Contact(models.TextChoices):
        PHONE = "telefoon", _("bellen")
        EMAIL = "email", _("e-mail")
        MESSAGE = "bericht", _("bericht in Driehoek")
        MEETING = "gesprek", _("een gesprek op school")
        HOME_VISIT = "huisbezoek", _("iemand komt bij mij thuis")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="help_questions")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("onderwerp"))
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_questions")
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="help_questions", verbose_name=_("over")
    )
    text = models.TextField(_("uw vraag"), max_length=4000)
    preferred_contact = models.CharField(
        _("hoe wilt u contact"), max_length=10, choices=Contact.choices, default=Contact.MESSAGE
    )
    contact_detail = models.CharField(_("telefoonnummer of e-mailadres (mag leeg)"), max_length=200, blank=True)
    # Seed 002 §8.1: a language barrier is a common reason contact does not happen.
    interpreter = models.BooleanField(_("ik wil graag dat er iemand vertaalt (tolk)"), default=False)
    language = models.CharField(_("in welke taal?"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status", "due_at"])]

    def __str__(self):
        return f"{self.topic}: {self.text[:40]}"


class SchoolHoliday(models.Model):
    """A school holiday (first and last day, inclusive): these days do not count as school days."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("naam"), max_length=100, help_text=_("Bijvoorbeeld: Kerstvakantie"))
    start = models.DateField(_("eerste vakantiedag"))
    end = models.DateField(_("laatste vakantiedag"))

    class Meta:
        verbose_name = _("schoolvakantie")
        verbose_name_plural = _("schoolvakanties")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["school", "end"])]

    def __str__(self):
        return self.name
