"""SEC-03/SEC-06 across workers: the login throttle and the TOTP replay guard count in a cache that every
gunicorn worker shares (a table in the database), not in one process's memory."""

import pytest
from django.db import connection

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM driehoek_cache")
        return cursor.fetchone()[0]


def test_failed_logins_are_counted_in_the_shared_database_cache(client):
    user = UserFactory()
    assert _cache_rows() == 0
    for _ in range(3):
        response = client.post("/accounts/login/", {"login": user.email, "password": "fout-wachtwoord-123"})
        assert response.status_code == 200  # refused, form shown again
    assert _cache_rows() > 0  # another worker reading the same database sees these counts
