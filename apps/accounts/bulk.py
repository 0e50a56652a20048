"""Inviting the guardians of a class or a whole school in one step, their status, resending, and letters.

The pupil-administration import creates guardian accounts without a password. A batch gives each of them
one invite (by e-mail when there is an address; otherwise a printed letter with a QR code and a short
code), runs as a background task and counts its progress. The caller has checked access (the school
office, `apps/schooloffice/permissions.py`); these functions assume it.
"""

from dataclasses import dataclass

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.circles.models import Child
from apps.notifications.models import OutgoingMail

from . import services
from .models import Invite, InviteBatch, User
from .tasks import run_invite_batch_task

# Guardians without an address get an e-mail field that cannot receive mail (RFC 2606 ".invalid").
NO_MAIL_SUFFIX = ".invalid"


def has_mail_address(user: User) -> bool:
    return bool(user.email) and not user.email.lower().endswith(NO_MAIL_SUFFIX)


def is_active_account(user: User) -> bool:
    return user.is_active and user.has_usable_password()


ACTIVE_ACCOUNT = Q(is_active=True) & ~Q(password="") & ~Q(password__startswith="!")


def pupils_in_scope(school, group=None):
    pupils = Child.objects.filter(school=school, left_on__isnull=True)
    if group is not None:
        pupils = pupils.filter(Q(group=group) | Q(extra_groups=group))
    return pupils


def guardians_to_invite(school, group=None):
    """Guardian accounts of the pupils in scope that are not active yet (one row per person)."""
    return (
        User.objects.filter(guardianships__child__in=pupils_in_scope(school, group))
        .exclude(ACTIVE_ACCOUNT)
        .exclude(memberships__isnull=False)  # never a professional's account (refused in Dutch elsewhere)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def start_batch(*, by, school, group=None) -> InviteBatch:
    """Create the batch and queue the task (it runs after commit; in tests at once)."""
    batch = InviteBatch.objects.create(
        school=school, group=group, created_by=by, total=guardians_to_invite(school, group).count()
    )
    transaction.on_commit(lambda: run_invite_batch_task.enqueue(batch.pk))
    return batch


def run_batch(batch_id: int) -> int:
    """Invite every guardian in the batch's scope who has no pending invite yet. Idempotent: a second run
    (at-least-once delivery) skips who already has one from this batch."""
    batch = InviteBatch.objects.select_related("school", "group", "created_by").get(pk=batch_id)
    done = 0
    for user in guardians_to_invite(batch.school, batch.group).iterator(chunk_size=200):
        with transaction.atomic():
            if not Invite.objects.filter(batch=batch, user=user).exists():
                invite_guardian(by=batch.created_by, user=user, school=batch.school, batch=batch)
            done += 1
            InviteBatch.objects.filter(pk=batch.pk).update(done=done)
    InviteBatch.objects.filter(pk=batch.pk).update(done=done, total=max(done, batch.total), finished_at=timezone.now())
    return done


def invite_guardian(*, by, user: User, school, batch=None) -> Invite:
    """One invite for an existing guardian account, for all of their children at this school. Earlier open
    invites of that person end, so only the newest link or code works."""
    children = list(Child.objects.filter(school=school, guardianships__user=user, left_on__isnull=True))
    Invite.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).update(
        expires_at=timezone.now(), short_code_hash=""
    )
    email = user.email if has_mail_address(user) else ""
    inv, _link = services.create_invite(by=by, email=email, children=children, user=user, batch=batch)
    return inv


@dataclass(frozen=True)
class GuardianStatus:
    key: str
    label: str


STATUS_LABELS = {
    "active": gettext_lazy("account actief"),
    "opened": gettext_lazy("link geopend, nog geen account"),
    "no_email": gettext_lazy("geen e-mailadres: stuur een brief"),
    "queued": gettext_lazy("e-mail in de wachtrij"),
    "sent": gettext_lazy("e-mail verstuurd"),
    "failed": gettext_lazy("e-mail kwam niet aan (mislukt of teruggestuurd)"),
    "expired": gettext_lazy("uitnodiging verlopen"),
    "not_invited": gettext_lazy("nog niet uitgenodigd"),
}


def guardian_status(user: User, invite: Invite | None) -> GuardianStatus:
    """Where one guardian stands, from the account and their newest invite."""
    if is_active_account(user):
        key = "active"
    elif invite is None:
        key = "not_invited" if has_mail_address(user) else "no_email"
    elif invite.opened_at and not invite.is_expired:
        key = "opened"
    elif invite.is_expired:
        key = "expired"
    elif not invite.email:
        key = "no_email"
    elif invite.mail is None or invite.mail.status == OutgoingMail.Status.QUEUED:
        key = "queued"
    else:
        key = "sent" if invite.mail.status == OutgoingMail.Status.SENT else "failed"
    return GuardianStatus(key, str(STATUS_LABELS[key]))


def newest_invites(users) -> dict[int, Invite]:
    """Each person's newest invite, in one query."""
    newest: dict[int, Invite] = {}
    for inv in Invite.objects.filter(user__in=users).select_related("mail").order_by("user_id", "-created_at", "-pk"):
        newest.setdefault(inv.user_id, inv)
    return newest


def resend(*, by, invite: Invite) -> Invite:
    """A new invite for the same person (the old link stops working)."""
    if invite.user is None:
        raise ValidationError(_("Deze uitnodiging hoort niet bij een ouder uit de administratie."))
    if is_active_account(invite.user):
        raise ValidationError(_("Deze ouder heeft al een actief account."))
    school = invite.children.first().school
    with transaction.atomic():
        return invite_guardian(by=by, user=invite.user, school=school, batch=invite.batch)


def resend_not_active(*, by, school, group=None) -> InviteBatch:
    """Everyone in scope without an active account gets a new invite: as a batch, with progress."""
    return start_batch(by=by, school=school, group=group)


# --- letters -------------------------------------------------------------------------------------------------------


def letters_pdf(*, invites: list[Invite], school) -> bytes:
    """One page per guardian: the school's letterhead, a QR code of a fresh link and a fresh short code.
    Both replace the invite's earlier link and code (only their hashes are stored, so a letter can only
    carry new ones)."""
    from weasyprint import HTML

    pages = []
    for inv in invites:
        token, token_hash = Invite.new_token()
        code, code_hash = services.new_short_code()
        Invite.objects.filter(pk=inv.pk).update(token_hash=token_hash, short_code_hash=code_hash)
        link = services.invite_link(token)
        qr = segno.make(link, error="m").svg_inline(scale=4, title=_("QR-code van uw uitnodigingslink"))
        pages.append({"invite": inv, "link": link, "code": f"{code[:4]}-{code[4:]}", "qr": qr})
    context = {"pages": pages, "school": school, "today": timezone.localdate(), "code_url": services.code_page_url()}
    html = render_to_string("accounts/letters.html", context)
    return HTML(string=html).write_pdf()


def letter_invites(school, group=None) -> list[Invite]:
    """The open invites of guardians in scope without an e-mail address, or whose e-mail failed."""
    users = guardians_to_invite(school, group)
    newest = newest_invites(users)
    return [
        inv
        for inv in newest.values()
        if not inv.is_used
        and not inv.is_expired
        and (not inv.email or (inv.mail and inv.mail.status == OutgoingMail.Status.FAILED))
    ]
