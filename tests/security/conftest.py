"""Log-in tests here fail on purpose; the throttle's counters live in the cache, so each test leaves it empty."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_login_throttle():
    cache.clear()
    yield
    cache.clear()
