import pytest


@pytest.fixture(autouse=True)
def _menu_counts_cached(settings):
    """The frame as in production: the menu's counts cached per person (apps/notifications/menu_counts.py)."""
    settings.MENU_COUNTS_CACHE = True
