"""Optimistic locking (REL-06): a form carries the version it was read at, and a save compares it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """Someone else changed the item since the form was opened: never overwrite, show the current state.

    `current` is the item as it is now, so the page can show it beside what the user typed.
    """

    def __init__(self, current=None):
        super().__init__(
            _("Iemand anders heeft dit intussen gewijzigd. Bekijk de nieuwe versie en probeer het opnieuw.")
        )
        self.current = current
