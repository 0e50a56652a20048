"""Professionals (and platform admins) must have TOTP before they see any child data (SEC-01)."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings


def needs_two_factor(user) -> bool:
    """Staff, and anyone with an active membership (even at an inactive school): read with the policy's memo."""
    from apps.access.policy import active_memberships

    return bool(user.is_staff or active_memberships(user))


def two_factor_missing(user) -> bool:
    """True when this user must set up TOTP first."""
    if not user.is_authenticated or not needs_two_factor(user):
        return False
    if user.is_demo and settings.DEMO_SKIP_TWO_FACTOR:
        return False
    return not is_mfa_enabled(user)
