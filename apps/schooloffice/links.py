from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import may_run_office


def nav_links(user) -> list[tuple]:
    if not user.is_authenticated or not may_run_office(user):
        return []
    return [(_("Schoolbeheer"), reverse("schooloffice:pupils"))]
