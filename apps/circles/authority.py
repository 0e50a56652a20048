"""Gezag (parental authority): declared by the guardian, confirmed by the school (docs/guardians-and-gezag.md).

No pupil-administration export carries gezag, so every imported guardianship starts *unconfirmed*. At the
first log-in the guardian answers "Heeft u ouderlijk gezag over <kind>?" (*declared*); the school checks and
confirms or corrects it (*confirmed*). Until it is confirmed the guardian cannot sign consents (the access
policy refuses GIVE_CONSENT and `consent.rules` does not count them as a signer).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.policy import authority_action, authorize
from apps.audit.log import Actor
from apps.notifications.services import notify
from apps.notifications.texts import Text

from .models import Guardianship, information_mode_for

A = Guardianship.Authority


def to_declare(user):
    """The guardian's own guardianships that still wait for their answer."""
    return (
        Guardianship.objects.filter(user=user, authority_status=A.UNCONFIRMED, child__left_on__isnull=True)
        .select_related("child")
        .order_by("child__first_name", "pk")
    )


@transaction.atomic
def declare_authority(*, user, answers: dict[int, bool]) -> int:
    """Record the guardian's own answers (guardianship id → has gezag). Only their own, still unconfirmed ones."""
    open_ones = {g.pk: g for g in to_declare(user).select_for_update()}
    if not answers or not set(answers) <= set(open_ones):
        raise ValidationError(_("Beantwoord de vraag voor elk kind."))
    now = timezone.now()
    for pk, has_authority in answers.items():
        Guardianship.objects.filter(pk=pk).update(
            has_authority=has_authority,
            information_mode=information_mode_for(has_authority, open_ones[pk].information_mode),
            authority_status=A.DECLARED,
            authority_declared_at=now,
        )
    return len(answers)


def confirm_authority(
    *,
    actor: Actor,
    guardianship: Guardianship,
    has_authority: bool,
    information_mode: str = "",
    recognised_child: bool | None = None,
) -> Guardianship:
    """The school confirms (or corrects) what the guardian declared. Decided and logged by the policy first,
    outside the write's transaction, so a refusal stays in the log.

    Without gezag the school also records the information mode (on request by default; "none" when, for
    instance, a court decided so) and, for a father, whether he recognised the child: a father without gezag
    has a right to information only then (BW 1:377c, docs/guardians-and-gezag.md)."""
    authorize(
        actor, authority_action(guardianship), guardianship.child, obj=guardianship, label=_("het gezag van een ouder")
    )
    modes = Guardianship.InformationMode
    if not has_authority and information_mode not in ("", modes.ON_REQUEST, modes.NONE):
        raise ValidationError(_("Kies of deze ouder informatie op verzoek krijgt of geen informatie."))
    with transaction.atomic():
        return _confirm(actor, guardianship.pk, has_authority, information_mode, recognised_child)


def _confirm(actor: Actor, pk: int, has_authority: bool, information_mode="", recognised_child=None) -> Guardianship:
    g = Guardianship.objects.select_for_update().select_related("child", "user").get(pk=pk)
    if g.authority_status == A.CONFIRMED:
        raise ValidationError(_("Het gezag van deze ouder is al bevestigd."))
    g.has_authority = has_authority
    g.authority_status = A.CONFIRMED
    g.authority_confirmed_by = actor.user
    g.authority_confirmed_at = timezone.now()
    fields = ["has_authority", "authority_status", "authority_confirmed_by", "authority_confirmed_at"]
    if not has_authority:
        g.information_mode = information_mode or Guardianship.InformationMode.ON_REQUEST
        fields.append("information_mode")
        if g.relation == Guardianship.Relation.FATHER and recognised_child is not None:
            g.recognised_child = recognised_child
            fields.append("recognised_child")
    g.save(update_fields=fields)
    _tell_guardian(g)
    return g


def _tell_guardian(g: Guardianship) -> None:
    if g.has_authority:
        text = Text(
            gettext_noop(
                "De school heeft uw gezag over %(child)s bevestigd. U kunt nu toestemmingen tekenen. "
                "Toestemmingen die al golden, blijven geldig; u wordt gevraagd ze mee te tekenen."
            ),
            child=g.child.first_name,
        )
    else:
        text = Text(
            gettext_noop(
                "De school heeft vastgelegd dat u geen ouderlijk gezag over %(child)s heeft. Klopt dit niet? "
                "Neem contact op met de school."
            ),
            child=g.child.first_name,
        )
    notify(
        g.user,
        f"authority-confirmed:{g.pk}",
        text,
        url=reverse("consent:page", args=[g.child_id]),
        email_subject=Text(gettext_noop("Uw gezag in Driehoek")),  # in the parent's language (docs/languages.md)
    )
