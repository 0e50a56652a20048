"""One-time form tokens, so a double click or a resubmitted form is saved once (REL-09).

A form carries a random token (`{% form_token %}` from the `driehoek` tag library). The view wraps its
write in `submitted_once(request)`: the first POST with a token claims it (a unique row per user and
token, so two requests racing each other cannot both win); a repeat gets False, the user is told so,
and the view shows what the first one saved. When the write fails (a validation error, or any exception)
the claim is released, so the corrected form can be sent again. A POST without a token (the API, old
pages) is always new.
"""

import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "form_token"
KEEP = timedelta(days=1)  # a resubmit comes within seconds; older claims are deleted when the user posts again


def new_token() -> str:
    return secrets.token_urlsafe(24)


@contextmanager
def submitted_once(request):
    """Yields True for the first POST of this form, False (with a message to the user) for a repeat."""
    token = (request.POST.get(FIELD) or "").strip()[:64]
    user = request.user
    if not token or not user.is_authenticated:
        yield True
        return
    FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(user=user, token=token)
    except IntegrityError:
        messages.info(request, _("Dit formulier was al verstuurd. Het is één keer opgeslagen."))
        yield False
        return
    try:
        yield True
    except BaseException:
        FormSubmission.objects.filter(pk=claim.pk).delete()  # not saved: the same form may be sent again
        raise
