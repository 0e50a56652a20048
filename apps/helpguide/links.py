from django.urls import reverse
from django.utils.translation import gettext as _


def nav_links(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    return [(_("Hulpwijzer"), reverse("helpguide:guide"))]
