"""The access log (NEN 7513 style): who did what with which child's data, when, on what basis."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """The access log can only grow."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access-log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access-log entries cannot be deleted.")


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("bekijken")
        LIST = "list", _("in lijst zien")
        CREATE = "create", _("toevoegen")
        CHANGE = "change", _("wijzigen")
        EXPORT = "export", _("exporteren")
        SIGN = "sign", _("ondertekenen")
        REVOKE = "revoke", _("intrekken")

    class Purpose(models.TextChoices):
        """NEN 7513 PurposeOfUse: why the user had access (docs/audit-log.md, "NEN 7513 fields")."""

        FAMILY = "family", _("eigen gezin")
        EDUCATION = "education", _("onderwijs en begeleiding op school")
        CARE = "care", _("hulp en zorg met toestemming")
        ATTENDANCE = "attendance", _("leerplicht")
        ADMINISTRATION = "administration", _("administratie van de school")
        NONE = "", _("geen")

    class AccessPoint(models.TextChoices):
        """NEN 7513 NetworkAccessPoint, as the family understands it: where the access came from."""

        PAGE = "page", _("een pagina")
        API = "api", _("de API")
        FEED = "feed", _("een agenda-koppeling")
        TASK = "task", _("een automatische taak")
        EXPORT = "export", _("een export")
        IMPORT = "import", _("de import uit de leerlingadministratie")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="access_log_entries"
    )
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=100)
    actor_organisation = models.CharField(max_length=200, blank=True)
    # No database-level constraint: writing a log line must never wait on a lock someone holds on the
    # child's row (a booking locks it, then logs) — that ordering deadlocked against the chain lock.
    # Deleting a child with log entries is still refused (PROTECT is enforced by Django).
    child = models.ForeignKey("circles.Child", on_delete=models.PROTECT, related_name="access_log", db_constraint=False)
    category = models.CharField(max_length=20)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    object_label = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=Action.choices)
    allowed = models.BooleanField()
    basis = models.CharField(max_length=200)
    consent = models.ForeignKey(
        "consent.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    channel = models.CharField(max_length=10, default="web")
    ip = models.GenericIPAddressField(null=True, blank=True)
    # NEN 7513 fields (migration 0004). NULL only on entries written before they existed: the hash covers a field
    # only when it is not NULL, so those entries keep verifying (apps/audit/log.py, docs/audit-log.md).
    purpose = models.CharField(max_length=20, choices=Purpose.choices, null=True, blank=True, default=None)
    # The responsible user on whose behalf the user acted (the user themself unless someone else is responsible).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        default=None,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    responsible_name = models.CharField(max_length=150, null=True, blank=True, default=None)
    access_point = models.CharField(max_length=10, choices=AccessPoint.choices, null=True, blank=True, default=None)
    # Which chain the entry is on (audit.log.chain_of: "child:<id>", or "system" for entries about no child)
    # and its place there (1, 2, ...). Each chain is hashed and locked on its own (docs/audit-log.md).
    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    # How `hash` was computed (audit.log.SCHEME_FIELDS): 1 = plain SHA-256 and 2 = HMAC-SHA256 on the one
    # global chain (before migration 0004), 3 = HMAC-SHA256 on the chain per child, 4 = as 3 with the NEN 7513
    # fields (migration 0005).
    scheme = models.PositiveSmallIntegerField(default=4)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["child", "-id"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_entry_per_chain_place")]
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Access-log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access-log entries cannot be deleted.")


class PrunePermit(models.Model):
    """Allows, for the length of one transaction, deleting the start of one chain up to a signed checkpoint.

    The only way past the log's DELETE trigger (apps/audit/guards.py): `log.prune_before` writes a permit,
    deletes, and removes the permit again, all in one transaction, as the owner role. The application's role
    has no privileges on this table (`db_roles`). See docs/audit-log.md, "Retention".
    """

    chain = models.CharField(max_length=40)
    up_to_seq = models.PositiveBigIntegerField()
    checkpoint_written_at = models.CharField(max_length=40)

    class Meta:
        verbose_name = "prune permit"
