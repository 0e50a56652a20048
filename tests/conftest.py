"""Fixtures shared by the test packages."""

from tests.mailserver import smtp  # noqa: F401 - the scripted mail server fixture
