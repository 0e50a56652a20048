"""SEC-26/SEC-32 (issue 16 item 8): the production settings the README documents pass Django's deploy check
at warning level, and every page sends a Permissions-Policy header."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import GuardianshipFactory

pytestmark = pytest.mark.django_db  # the package's throttle fixture empties the database cache

ROOT = Path(__file__).resolve().parents[2]
# What the test run itself sets (the browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE) is not production.
LEFT_OUT = ("DEBUG", "DRIEHOEK_TESTING", "SECRET_KEY", "AUDIT_HMAC_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _readme_production_env() -> dict[str, str]:
    """The `export` lines of the README's production block, with a real secret for the placeholder."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"\*\*Production\.\*\*.*?```sh\n(.*?)```", readme, re.S).group(1)
    env = {}
    for line in block.splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("export "):
            for pair in line[len("export ") :].split():
                name, _, value = pair.partition("=")
                env[name] = value.strip("'\"")
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["AUDIT_HMAC_KEY"] = secrets.token_urlsafe(32)
    return env


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_production_settings_pass_the_deploy_check():
    env = _readme_production_env()
    assert {"ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT"} <= set(env)
    result = _deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_proxy_without_trusted_proxy_count_fails_the_deploy_check():
    env = {**_readme_production_env(), "TRUSTED_PROXY_COUNT": "0"}
    result = _deploy_check(env)
    assert result.returncode != 0 and "driehoek.W001" in result.stdout + result.stderr


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz"])
def test_every_page_sends_a_permissions_policy(client, url):
    client.force_login(GuardianshipFactory().user)
    policy = client.get(url)["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_the_api_schema_and_docs_need_a_log_in(client, url):
    response = client.get(url)
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    client.force_login(GuardianshipFactory().user)
    assert client.get(url).status_code == 200
