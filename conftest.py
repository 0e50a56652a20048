"""Shared test set-up: in tests e-mail stays in memory and tasks run at once."""

import os

os.environ.setdefault("DRIEHOEK_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DEMO_SKIP_TWO_FACTOR = False
    settings.SECURE_COOKIES = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads in tests never land in the project folder
    settings.AUDIT_ANCHOR_DIR = str(tmp_path / "audit-anchors")  # each test sees only the anchors it wrote
    # Uploads are clean at once unless a test asks for the real scanner (the `virus_scan` fixture, SEC-25).
    settings.VIRUS_SCAN = False
    # The menu's counts are cached per person in production; tests/performance turns this on again.
    settings.MENU_COUNTS_CACHE = False


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """A request in English leaves its language active in the thread; every test starts in Dutch."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")
