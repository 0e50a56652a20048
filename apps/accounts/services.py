"""Inviting guardians, children and staff, accepting an invite, and ending one's own sessions."""

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.circles.models import Child, Guardianship
from apps.notifications.models import OutgoingMail
from apps.notifications.services import queue_mail
from apps.organisations import adminlog
from apps.organisations.models import AdminLogEntry, Membership, StaffInviteGroup

from .models import INVITE_VALIDITY, Invite, User
from .security_events import log_event


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
    """Create a single-use invite and e-mail its link. Returns the invite and the (unhashed) link."""
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
    token, token_hash = Invite.new_token()
    inv = Invite.objects.create(
        email=email.lower(),
        kind=kind,
        relation=relation,
        has_authority=has_authority,
        token_hash=token_hash,
        created_by=by,
        expires_at=timezone.now() + INVITE_VALIDITY,
    )
    inv.children.set(children)
    link = settings.SITE_URL + reverse("accounts:accept_invite", args=[token])
    names = ", ".join(c.first_name for c in children)
    body = _(
        "Hallo,\n\n%(school)s nodigt u uit voor Driehoek, waar ouders, school en jeugdhulp samenwerken rond "
        "%(names)s.\n\nMaak uw account aan via deze link (7 dagen geldig, één keer te gebruiken):\n%(link)s\n"
    ) % {"school": children[0].school.name, "names": names, "link": link}
    subject = str(_("Uitnodiging voor Driehoek"))
    inv.mail = queue_mail(subject, body, [inv.email])  # saved with the invite; sent after commit, retried
    inv.save(update_fields=["mail"])
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
    """Bind an account to the invite's children. The invite can be used exactly once."""
    inv = check_invite(token)
    claimed = Invite.objects.filter(pk=inv.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not claimed:  # someone used it a moment ago
        raise ValidationError(_("Deze uitnodigingslink is al gebruikt. U kunt gewoon inloggen."))
    if existing_user is not None:
        user = existing_user
    else:
        if User.objects.filter(email__iexact=inv.email).exists():
            raise ValidationError(_("Er bestaat al een account met dit e-mailadres. Log eerst in."))
        user = User.objects.create_user(inv.email, password, full_name=full_name.strip())
    Invite.objects.filter(pk=inv.pk).update(used_by=user)
    if inv.kind == Invite.Kind.STAFF:
        _start_membership(inv, user)
        return user
    for child in inv.children.all():
        if inv.kind == Invite.Kind.CHILD:
            Child.objects.filter(pk=child.pk, user__isnull=True).update(user=user)
        else:
            Guardianship.objects.get_or_create(
                child=child,
                user=user,
                defaults={"relation": inv.relation or Guardianship.Relation.OTHER, "has_authority": inv.has_authority},
            )
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
