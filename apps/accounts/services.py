"""Inviting guardians, children and staff, accepting an invite, and ending one's own sessions."""

import hashlib
import hmac
import secrets

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.circles.models import Child, Guardianship
from apps.notifications.models import OutgoingMail
from apps.notifications.services import notify, queue_mail
from apps.notifications.texts import Text
from apps.organisations import adminlog
from apps.organisations.models import AdminLogEntry, Membership, StaffInviteGroup

from .models import INVITE_VALIDITY, Invite, User
from .security_events import log_event

SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 8


def account_for(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first() if email else None


def refuse_professional(user: User | None) -> None:
    """A guardian invite never lands on a professional's account: that would mix a work log-in with a
    family's file (docs/guardians-and-gezag.md). Refused in Dutch."""
    if user is not None and user.memberships.exists():
        raise ValidationError(
            _("Dit e-mailadres hoort bij een medewerker. Gebruik voor de ouder of het kind een eigen e-mailadres.")
        )


def new_short_code() -> tuple[str, str]:
    """A code for a printed letter: 8 characters without look-alikes (0/O, 1/I/L), kept only as a keyed hash."""
    code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
    return code, short_code_hash(code)


def short_code_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(settings.SECRET_KEY.encode(), f"invite-code:{normalised}".encode(), hashlib.sha256).hexdigest()


def invite_link(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invite", args=[token])


def code_page_url() -> str:
    return settings.SITE_URL + reverse("accounts:redeem_code")


def invite_mail_body(children: list[Child], link: str) -> str:
    names = ", ".join(c.first_name for c in children)
    return _(
        "Hallo,\n\n%(school)s nodigt u uit voor Driehoek, waar ouders, school en jeugdhulp samenwerken rond "
        "%(names)s.\n\nMaak uw account aan via deze link (7 dagen geldig, één keer te gebruiken):\n%(link)s\n"
    ) % {"school": children[0].school.name, "names": names, "link": link}


def create_invite(*, by, email: str, children: list[Child], user: User | None = None, batch=None, **fields) -> tuple:
    """Save an invite and queue its e-mail when there is an address. Returns (invite, link)."""
    token, token_hash = Invite.new_token()
    inv = Invite.objects.create(
        email=email.lower(),
        token_hash=token_hash,
        created_by=by,
        expires_at=timezone.now() + INVITE_VALIDITY,
        user=user,
        batch=batch,
        **fields,
    )
    inv.children.set(children)
    link = invite_link(token)
    if inv.email:
        # Saved with the invite; sent after commit and retried (REL-10).
        inv.mail = queue_mail(str(_("Uitnodiging voor Driehoek")), invite_mail_body(children, link), [inv.email])
        inv.save(update_fields=["mail"])
    return inv, link


@transaction.atomic
def invite(
    *,
    by,
    email: str,
    children: list[Child],
    kind: str = Invite.Kind.GUARDIAN,
    relation: str = "",
    has_authority: bool = True,
) -> tuple[Invite, str]:
    """Create a single-use invite and e-mail its link. Returns the invite and the (unhashed) link.

    The caller has decided access (a new family member: `Action.INVITE_FAMILY`). The guardians the child
    already has are told at once (docs/guardians-and-gezag.md): nobody joins a family's file unseen.
    """
    if not children:
        raise ValidationError(_("Kies minstens één kind."))
    if kind == Invite.Kind.CHILD:
        if len(children) != 1:
            raise ValidationError(_("Een leerlingaccount hoort bij precies één kind."))
        child = children[0]
        if child.age() < 12:
            raise ValidationError(_("Een eigen account kan pas vanaf 12 jaar."))
        if child.user_id:
            raise ValidationError(_("Dit kind heeft al een eigen account."))
    existing = account_for(email)
    refuse_professional(existing)
    inv, link = create_invite(
        by=by, email=email, children=children, user=existing, kind=kind, relation=relation, has_authority=has_authority
    )
    _tell_family_of_invite(inv, children, exclude=existing)
    return inv, link


@transaction.atomic
def invite_staff(
    *, by, email: str, role: str, school=None, organisation=None, board=None, groups=()
) -> tuple[Invite, str]:
    """A staff invite: accepting it creates the membership (role at the school, organisation or board, with
    the groups given). Who may invite whom is checked by the caller (apps/organisations/permissions.py)."""
    if not email:
        raise ValidationError(_("Vul een e-mailadres in."))
    where = school or organisation or board
    if where is None:
        raise ValidationError(_("Kies de school, organisatie of het bestuur."))
    token, token_hash = Invite.new_token()
    inv = Invite.objects.create(
        email=email.lower(),
        kind=Invite.Kind.STAFF,
        role=role,
        school=school,
        organisation=organisation,
        board=board,
        token_hash=token_hash,
        created_by=by,
        expires_at=timezone.now() + INVITE_VALIDITY,
    )
    StaffInviteGroup.objects.bulk_create([StaffInviteGroup(invite=inv, group=g) for g in groups])
    link = settings.SITE_URL + reverse("accounts:accept_invite", args=[token])
    body = _(
        "Hallo,\n\nU bent uitgenodigd voor Driehoek als %(role)s bij %(where)s.\n\n"
        "Maak uw account aan via deze link (7 dagen geldig, één keer te gebruiken):\n%(link)s\n\n"
        "Bij de eerste keer inloggen stelt u tweestapsverificatie in met een app op uw telefoon.\n"
    ) % {"role": Membership(role=role).get_role_display(), "where": where, "link": link}
    inv.mail = queue_mail(str(_("Uitnodiging voor Driehoek")), body, [inv.email])
    inv.save(update_fields=["mail"])
    return inv, link


def _tell_family_of_invite(inv: Invite, children: list[Child], exclude: User | None) -> None:
    relation = dict(Guardianship.Relation.choices).get(inv.relation, "") if inv.kind == Invite.Kind.GUARDIAN else ""
    who = str(relation or inv.get_kind_display())
    for child in children:
        for g in child.guardianships.select_related("user"):
            if exclude is not None and g.user_id == exclude.pk:
                continue
            notify(
                g.user,
                f"family-invite:{inv.pk}:{child.pk}",
                Text(
                    gettext_noop(
                        "%(school)s heeft iemand uitgenodigd voor de kring van %(child)s (%(who)s). Klopt dit niet? "
                        "Neem dan meteen contact op met de school."
                    ),
                    school=child.school.name,
                    child=child.first_name,
                    who=who,
                ),
                url=reverse("circles:detail", args=[child.pk]),
                email_subject=Text(gettext_noop("Iemand is uitgenodigd voor de kring van uw kind")),
            )


def invite_state(inv: Invite) -> tuple[str, str]:
    """Where an invite stands, for the school: (key, Dutch text). The mail's fate comes first while the
    link is still usable, because an invite whose e-mail never arrived looks to the family like none at all."""
    if inv.is_used:
        return "accepted", _("geaccepteerd op %(date)s") % {"date": date_format(timezone.localtime(inv.used_at))}
    if inv.is_expired:
        return "expired", _("verlopen; nodig opnieuw uit als dat nog nodig is")
    mail = inv.mail
    if mail is None or mail.status == OutgoingMail.Status.SENT:
        return "sent", _("e-mail verstuurd; de link is geldig tot %(date)s") % {
            "date": date_format(timezone.localtime(inv.expires_at))
        }
    if mail.status == OutgoingMail.Status.FAILED:
        return "failed", _("de e-mail kon niet worden verstuurd; controleer het adres en nodig opnieuw uit")
    if mail.attempts:
        return "waiting", _("de e-mail is nog niet aangekomen bij de mailserver; we proberen het automatisch opnieuw")
    return "waiting", _("de e-mail gaat zo de deur uit")


def invites_for(child: Child) -> list[tuple[Invite, tuple[str, str]]]:
    """The invites for one child, newest first, each with its state."""
    invites = child.invites.select_related("mail").order_by("-created_at", "-pk")[:50]
    return [(inv, invite_state(inv)) for inv in invites]


def mark_opened(inv: Invite) -> None:
    """The link was opened (the school sees "geopend"); only the first time counts."""
    if inv.opened_at is None:
        Invite.objects.filter(pk=inv.pk, opened_at__isnull=True).update(opened_at=timezone.now())


CODE_ATTEMPTS = 10  # per address, per CODE_WINDOW: 31^8 codes make guessing hopeless at this rate
CODE_WINDOW = 15 * 60


def redeem_short_code(code: str, *, ip: str | None) -> str:
    """A code from a printed letter → a fresh invite link token (the code is used up). Throttled per address
    in the shared cache; every attempt counts, so guessing is refused long before it could work."""
    key = f"invite-code:{ip or '-'}"
    cache.add(key, 0, CODE_WINDOW)
    if cache.incr(key) > CODE_ATTEMPTS:
        log_event("invite_code_throttled", "too many invite-code attempts", ip=ip)
        raise ValidationError(_("U heeft te vaak een code geprobeerd. Probeer het over een kwartier opnieuw."))
    inv = Invite.objects.filter(short_code_hash=short_code_hash(code)).first() if code.strip() else None
    if inv is None or inv.is_used or inv.is_expired:
        raise ValidationError(_("Deze code klopt niet of is verlopen. Controleer de brief of vraag de school."))
    token, token_hash = Invite.new_token()
    claimed = Invite.objects.filter(pk=inv.pk, short_code_hash=inv.short_code_hash).update(
        token_hash=token_hash, short_code_hash=""
    )
    if not claimed:
        raise ValidationError(_("Deze code klopt niet of is verlopen. Controleer de brief of vraag de school."))
    return token


def check_invite(token: str) -> Invite:
    inv = Invite.find(token)
    if inv is None:
        raise ValidationError(_("Deze uitnodigingslink bestaat niet. Vraag de school om een nieuwe."))
    if inv.is_used:
        raise ValidationError(_("Deze uitnodigingslink is al gebruikt. U kunt gewoon inloggen."))
    if inv.is_expired:
        raise ValidationError(_("Deze uitnodigingslink is verlopen. Vraag de school om een nieuwe."))
    return inv


@transaction.atomic
def accept_invite(token: str, *, full_name: str, password: str, existing_user=None) -> User:
    """Bind an account to the invite's children. The invite can be used exactly once.

    An account that already exists without a password (a guardian the import created) gets its password
    here and is activated: no second account. An account with a password must log in first, and a
    professional's account is never used for a family invite.
    """
    inv = check_invite(token)
    claimed = Invite.objects.filter(pk=inv.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not claimed:  # someone used it a moment ago
        raise ValidationError(_("Deze uitnodigingslink is al gebruikt. U kunt gewoon inloggen."))
    user = existing_user or _account_to_activate(inv, full_name=full_name, password=password)
    Invite.objects.filter(pk=inv.pk).update(used_by=user)
    if inv.kind == Invite.Kind.STAFF:
        _start_membership(inv, user)
        return user
    for child in inv.children.select_related("school"):
        if inv.kind == Invite.Kind.CHILD:
            Child.objects.filter(pk=child.pk, user__isnull=True).update(user=user)
        else:
            _bind_guardian(inv, child, user)
    return user


def _start_membership(inv: Invite, user: User) -> Membership:
    """The role the staff invite promised, with its groups; recorded in the admin log."""
    membership = Membership.objects.create(
        user=user, role=inv.role, school=inv.school, organisation=inv.organisation, board=inv.board
    )
    membership.groups.set([link.group for link in inv.staff_groups.select_related("group")])
    adminlog.record(
        by=user,
        action=AdminLogEntry.Action.ACCEPT,
        description=gettext_lazy("%(name)s heeft de uitnodiging als %(role)s bij %(where)s geaccepteerd."),
        params={
            "name": user.full_name or user.email,
            "role": membership.get_role_display(),
            "where": membership.organisation_name,
        },
        obj=membership,
        board=inv.board,
        school=inv.school,
        organisation=inv.organisation,
    )
    return membership


def _account_to_activate(inv: Invite, *, full_name: str, password: str) -> User:
    user = inv.user or account_for(inv.email)
    if user is None:
        return User.objects.create_user(inv.email, password, full_name=full_name.strip())
    if inv.kind != Invite.Kind.STAFF:
        refuse_professional(user)
    if user.has_usable_password():
        raise ValidationError(_("Er bestaat al een account met dit e-mailadres. Log eerst in."))
    user.set_password(password)
    user.full_name = full_name.strip() or user.full_name
    user.is_active = True
    user.save(update_fields=["password", "full_name", "is_active"])
    return user


def _bind_guardian(inv: Invite, child: Child, user: User) -> None:
    """A guardian from the import keeps their guardianship; a new one (added by hand) starts as declared at
    best, to be confirmed by the IB'er or the director, and the family is told."""
    _g, created = Guardianship.objects.get_or_create(
        child=child,
        user=user,
        defaults={
            "relation": inv.relation or Guardianship.Relation.OTHER,
            "has_authority": inv.has_authority,
            "authority_status": Guardianship.Authority.DECLARED,
            "authority_declared_at": timezone.now(),
            "added_by": inv.created_by,
        },
    )
    if not created:
        return
    for other in child.guardianships.exclude(user=user).select_related("user"):
        notify(
            other.user,
            f"guardian-added:{child.pk}:{user.pk}",
            Text(
                gettext_noop(
                    "%(name)s is nu ouder/verzorger in de kring van %(child)s en kan meelezen. Klopt dit niet? "
                    "Neem dan meteen contact op met de school."
                ),
                name=user.full_name,
                child=child.first_name,
            ),
            url=reverse("circles:detail", args=[child.pk]),
            email_subject=Text(gettext_noop("Nieuwe ouder/verzorger in de kring van uw kind")),
        )


def end_own_sessions(request, session: UserSession | None = None) -> int:
    """End one of the logged-in user's own sessions, or all but this one when none is given (SEC-09).

    A lost phone or a forgotten school computer can be logged out from elsewhere. Only sessions of
    request.user are ever touched; ending the current one logs out here as well. Returns how many ended.
    """
    own = UserSession.objects.filter(user_id=request.user.pk)
    current_key = request.session.session_key
    targets = list(own.filter(pk=session.pk) if session is not None else own.exclude(session_key=current_key))
    user_id = request.user.pk
    get_usersessions_adapter().end_sessions(targets)
    if any(s.session_key == current_key for s in targets):
        logout(request)
    log_event("sessions_ended", "sessions ended by their user", request=request, user_id=user_id, count=len(targets))
    return len(targets)
