from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import importable_school_ids


def nav_links(user) -> list[tuple[str, str]]:
    if not importable_school_ids(user):
        return []
    return [(_("Import"), reverse("enrolment:index"))]
