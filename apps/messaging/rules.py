"""Plain rules of messaging: what an attachment may be, how fast one may post, the contact balance,
and who may post or read announcements. No views, no templates: these are tested on their own."""

import warnings
from dataclasses import dataclass
from datetime import timedelta

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of
from apps.organisations.models import OUTSIDE_ROLES, CareOrganisation, Role

# Content types we accept, decided from the file's bytes (never from its name or the browser's word).
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def max_attachment_bytes() -> int:
    return getattr(settings, "MESSAGING_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)


EXTENSIONS = {
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "application/pdf": {"pdf"},
}
MAX_IMAGE_PIXELS = 40_000_000  # against pixel floods ("decompression bombs")


def check_attachment(upload) -> str:
    """Return the real content type of an upload, or refuse it with a Dutch message.

    The type is read from the content (magic bytes) and must match the file name's extension, so an
    .exe renamed to .pdf, or HTML renamed to .pdf, is refused. Never raises anything but ValidationError.
    """
    if upload.size > max_attachment_bytes():
        raise ValidationError(
            _("De bijlage is te groot (%(size)s MB). Het maximum is %(max)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": max_attachment_bytes() // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("De bijlage is leeg."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    try:
        kind = filetype.guess(head)
    except Exception:  # a validator only ever refuses
        kind = None
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(_("Dit soort bestand kan niet als bijlage. Stuur een foto (JPG, PNG) of een PDF."))
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EXTENSIONS[kind.mime]:
        raise ValidationError(
            _("De naam van het bestand past niet bij wat erin zit. Controleer of het de goede bijlage is.")
        )
    return kind.mime


def clean_image(upload, content_type: str):
    """Re-encode a photo: drops EXIF (such as the GPS position in a child's photo) and anything hidden
    after the image data. Returns (content type, ContentFile). Refuses what Pillow cannot read."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(upload)
        with opened as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:  # checked before decoding anything
                raise Image.DecompressionBombError("too many pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
            out = BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(out, "JPEG", quality=90)
            elif content_type == "image/webp":
                image.save(out, "WEBP", quality=90)
            else:  # PNG and GIF are stored as PNG (first frame of an animation)
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG")
                content_type = "image/png"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ValidationError(_("Deze foto is te groot (te veel beeldpunten).")) from e
    except Exception as e:
        raise ValidationError(_("Deze foto kan niet gelezen worden. Probeer een andere foto.")) from e
    finally:
        upload.seek(0)
    return content_type, ContentFile(out.getvalue())


def prepare_attachment(upload):
    """Check an upload and return (content type, file to store): photos re-encoded, PDFs as they are."""
    content_type = check_attachment(upload)
    if content_type.startswith("image/"):
        return clean_image(upload, content_type)
    upload.seek(0)
    return content_type, upload


def rate_limit() -> tuple[int, int]:
    """(messages, seconds): at most this many messages per person in this window."""
    return getattr(settings, "MESSAGING_RATE_LIMIT", (10, 60))


def over_rate_limit(user, now=None) -> bool:
    """True when this person already posted the maximum number of messages in the window."""
    from .models import Message

    count, seconds = rate_limit()
    now = now or timezone.now()
    return Message.objects.filter(author=user, created_at__gte=now - timedelta(seconds=seconds)).count() >= count


def rate_limit_text() -> str:
    return _(
        "U stuurt veel berichten kort na elkaar. Wacht even (ongeveer een minuut) en verstuur het dan opnieuw. "
        "Uw tekst staat nog in het formulier."
    )


# --- contact balance -----------------------------------------------------------------------------------------------

BALANCE_WEEKS = 6


@dataclass
class Balance:
    positive: int = 0
    concern: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.concern

    @property
    def positive_share(self) -> int | None:
        """Share of positive contacts in percent (None when there was no tagged contact)."""
        return round(100 * self.positive / self.total) if self.total else None

    @property
    def only_concerns(self) -> bool:
        return needs_positive_prompt(self.positive, self.concern)


def needs_positive_prompt(positive: int, concern: int) -> bool:
    """Seed 001: contact also on the basis of positive things. A family that only heard concerns
    gets a gentle prompt for the teacher: "Deel ook eens iets positiefs"."""
    return concern > 0 and positive == 0


def balance_since(weeks: int = BALANCE_WEEKS, now=None):
    return (now or timezone.now()) - timedelta(weeks=weeks)


def balances_for(child_ids, weeks: int = BALANCE_WEEKS, now=None) -> dict[int, Balance]:
    """Positive vs concern messages per child over the last `weeks` weeks, in one query."""
    from django.db.models import Count

    from .models import Message

    rows = (
        Message.objects.filter(thread__child_id__in=list(child_ids), created_at__gte=balance_since(weeks, now))
        .exclude(tag="")
        .values("thread__child_id")
        .annotate(
            positive=Count("pk", filter=Q(tag=Message.Tag.POSITIVE)),
            concern=Count("pk", filter=Q(tag=Message.Tag.CONCERN)),
        )
    )
    result = {cid: Balance() for cid in child_ids}
    for row in rows:
        result[row["thread__child_id"]] = Balance(row["positive"], row["concern"])
    return result


def sum_balances(balances) -> Balance:
    total = Balance()
    for b in balances:
        total.positive += b.positive
        total.concern += b.concern
    return total


# --- announcements -------------------------------------------------------------------------------------------------


def announcement_scopes(user) -> dict:
    """Where this person may post announcements: {school_id: None (whole school) or set of group ids}.

    IB'er, director and school administration post for the whole school, a teacher for own classes.
    """
    scopes: dict = {}
    for m in memberships_of(user):
        if not m.is_school_role:
            continue
        if m.role in (Role.IB, Role.DIRECTOR, Role.SCHOOL_ADMIN):
            scopes[m.school_id] = None
        elif scopes.get(m.school_id, set()) is not None:
            scopes.setdefault(m.school_id, set()).update(g.pk for g in m.groups.all())
    return scopes


def newsletter_schools(user) -> set[int]:
    """Schools where this person may publish newsletter items: staff of the school with whole-school
    scope, and workers of a CJG that works with that school (someone of the CJG is in a pupil's circle)."""
    from apps.circles.models import CircleMember

    schools = {sid for sid, groups in announcement_scopes(user).items() if groups is None}
    cjg_ids = [
        m.organisation_id
        for m in memberships_of(user)
        if m.role in OUTSIDE_ROLES and m.organisation and m.organisation.kind == CareOrganisation.Kind.CJG
    ]
    if cjg_ids:
        schools |= set(
            CircleMember.objects.current()
            .filter(organisation_id__in=cjg_ids)
            .values_list("child__school_id", flat=True)
            .distinct()
        )
        from apps.referrals.models import Assignment  # the CJG's own assignment puts a worker in the circle

        schools |= set(
            Assignment.objects.active()
            .filter(organisation_id__in=cjg_ids)
            .values_list("child__school_id", flat=True)
            .distinct()
        )
    return schools


def may_post_announcement(user, school_id: int, group_id: int | None, newsletter: bool = False) -> bool:
    if newsletter:
        return school_id in newsletter_schools(user) and group_id is None
    scopes = announcement_scopes(user)
    if school_id not in scopes:
        return False
    groups = scopes[school_id]
    return groups is None or (group_id is not None and group_id in groups)


def visible_announcements_filter(user) -> Q:
    """Guardians: school-wide posts of their children's schools and posts for their children's classes.
    Staff: everything of their school. CJG workers: the newsletter of schools they work with."""
    from apps.circles.models import Child

    kids = list(Child.objects.filter(guardianships__user=user).values_list("school_id", "group_id"))
    own = getattr(user, "child_record", None) if hasattr(user, "child_record") else None
    if own is not None:
        kids.append((own.school_id, own.group_id))
    condition = Q(pk__in=[])
    for school_id, group_id in kids:
        condition |= Q(school_id=school_id, group__isnull=True) | Q(school_id=school_id, group_id=group_id)
    staff_schools = [m.school_id for m in memberships_of(user) if m.is_school_role]
    if staff_schools:
        condition |= Q(school_id__in=staff_schools)
    newsletter = newsletter_schools(user)
    if newsletter:
        condition |= Q(school_id__in=newsletter, is_newsletter=True)
    return condition
