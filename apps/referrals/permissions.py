"""Who asks a school to be added to a child's circle, and who handles those requests (issue 10 item 3).

- A youth-care worker or jeugdarts with an effective membership asks, for one of their organisations.
- The IB'er or the director of the school the request is addressed to sees and handles it. A teacher,
  the school administration, another school's IB'er or a guardian may not; a refusal is logged on the
  security log (`join_request_refused`)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.access.policy import memberships_of
from apps.accounts.security_events import log_event
from apps.organisations.models import Role

ASKING_ROLES = (Role.YOUTH_WORKER, Role.DOCTOR)
HANDLING_ROLES = (Role.IB, Role.DIRECTOR)


def asking_organisations(user) -> list:
    """The organisations on whose behalf this user may ask to join (none: they may not ask)."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = {
        m.organisation_id: m.organisation for m in memberships_of(user) if m.role in ASKING_ROLES and m.organisation_id
    }
    return list(orgs.values())


def handling_school_ids(user) -> set[int]:
    """The schools whose join requests this user handles (IB'er or director there)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.school_id for m in memberships_of(user) if m.role in HANDLING_ROLES and m.school_id}


def may_ask_to_join(user) -> bool:
    return bool(asking_organisations(user))


def may_handle(user, join_request) -> bool:
    return join_request.school_id in handling_school_ids(user)


def refuse(user, what: str, request=None, **fields) -> None:
    """Log the refusal on the security log and raise a 403."""
    log_event(
        "join_request_refused",
        "join request refused",
        request=request,
        user_id=getattr(user, "pk", None),
        what=what,
        **fields,
    )
    raise PermissionDenied(_("U mag dit niet doen."))


def check_may_ask(user, request=None) -> None:
    if not may_ask_to_join(user):
        refuse(user, "ask", request)


def check_may_see_inbox(user, request=None) -> None:
    if not handling_school_ids(user):
        refuse(user, "inbox", request)


def check_may_handle(user, join_request, request=None) -> None:
    if not may_handle(user, join_request):
        refuse(user, "handle", request, join_request_id=join_request.pk)


def response_time_organisations(user):
    """The organisations whose referral response times this user reads: the platform administrator all of
    them, an organisation's administrator their own; None when they may read none (no child data here)."""
    from apps.organisations.models import CareOrganisation

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_staff and not memberships_of(user):  # the platform administrator
        return CareOrganisation.objects.filter(active=True).order_by("name")
    ids = [m.organisation_id for m in memberships_of(user) if m.role == Role.ORG_ADMIN and m.organisation_id]
    if not ids:
        return None
    return CareOrganisation.objects.filter(pk__in=ids).order_by("name")
