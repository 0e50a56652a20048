"""People who log in. One account per person, whatever roles they hold."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITE_VALIDITY = timedelta(days=7)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Fictional demo accounts only; honoured only while settings.DEMO_SKIP_TWO_FACTOR (DEBUG) is on.
    is_demo = models.BooleanField(default=False)
    # The language everything sent to this person is in (apps/accounts/languages.py, docs/languages.md); empty
    # until chosen at first log-in, and read as Dutch until then.
    language = models.CharField(_("taal"), max_length=10, blank=True, default="", choices=settings.LANGUAGES)
    # Whether a conversation with this person needs an interpreter; set by the person or by the school.
    interpreter_wanted = models.BooleanField(_("tolk gewenst"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invite(models.Model):
    """A single-use, expiring link that binds a new account to children (as guardian or as the child)."""

    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("ouder/verzorger")
        CHILD = "child", _("leerling zelf")
        STAFF = "staff", _("medewerker")

    email = models.EmailField(_("e-mailadres"), blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GUARDIAN)
    children = models.ManyToManyField("circles.Child", related_name="invites")
    relation = models.CharField(_("relatie"), max_length=20, blank=True)
    has_authority = models.BooleanField(_("met gezag"), default=True)
    # A staff invite: the role and where (a school, a care organisation or a board).
    role = models.CharField(_("rol"), max_length=20, blank=True)
    school = models.ForeignKey(
        "organisations.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.CareOrganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    board = models.ForeignKey("organisations.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A short code for a printed letter (guardians without e-mail); only its hash is kept, like the token's.
    short_code_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The e-mail with the link, so the school sees whether it went out (REL-10: the user is told).
    mail = models.ForeignKey(
        "notifications.OutgoingMail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account the invite activates when it already exists (a guardian created by the pupil-administration
    # import, without a password yet): accepting sets its password instead of creating a second account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_invites"
    )
    batch = models.ForeignKey(
        "accounts.InviteBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="invites"
    )

    class Meta:
        verbose_name = _("uitnodiging")

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @classmethod
    def find(cls, token: str):
        return cls.objects.filter(token_hash=_hash_token(token)).first()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


class InviteBatch(models.Model):
    """Inviting all guardians of a class or a school in one step; the background task counts its progress."""

    school = models.ForeignKey("organisations.School", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("organisations.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodigingsronde")
        ordering = ["-created_at", "-pk"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


ENROLMENT_LINK_VALIDITY = timedelta(hours=24)


class TwoFactorEnrolment(models.Model):
    """A single-use, expiring link, sent by e-mail, that lets a professional set up TOTP (SEC-06).

    Without it a stolen password would be enough to enrol the thief's own authenticator app; with it the
    thief also needs the mailbox. See apps/accounts/enrolment.py.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inschrijflink tweestapsverificatie")

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @classmethod
    def find(cls, token: str):
        return cls.objects.filter(token_hash=_hash_token(token)).select_related("user").first()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at
