"""The platform admin (`/beheer/`) has no path to someone else's credentials, and through them to a child's file.

Third-party apps register admin pages that hand those out: DRF's token admin creates an API key for any
user and shows it (with it the admin reads a child's timeline in the parent's name); allauth's two-factor
and e-mail address admins let the admin remove a professional's TOTP or change a guardian's address and
then reset the password; the session admin shows session keys, which are log-ins in their own right.
They are taken out here (issue 16 item 1, docs/security.md). People manage their own keys, e-mail
addresses, two-factor and sessions on their own pages (`/api-sleutel/`, `/accounts/`).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from rest_framework.authtoken.models import Token, TokenProxy

# Models whose admin would expose a credential or a way to take over an account. Never register these.
CREDENTIAL_MODELS = (Token, TokenProxy, Authenticator, EmailAddress, UserSession)

for model in CREDENTIAL_MODELS:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
