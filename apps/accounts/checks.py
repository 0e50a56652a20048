"""Deploy checks for log-in security (`manage.py check --deploy`; docs/security.md)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_trusted_proxy(app_configs, **kwargs):
    """Behind a reverse proxy without TRUSTED_PROXY_COUNT every visitor has the proxy's address, so the
    per-address log-in limit (SEC-03) would lock out everyone at once."""
    behind_proxy = settings.SECURE_PROXY_SSL_HEADER is not None
    told = settings.ALLAUTH_TRUSTED_PROXY_COUNT > 0 or settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    if behind_proxy and not told:
        return [
            Warning(
                "BEHIND_PROXY is on but TRUSTED_PROXY_COUNT (or TRUSTED_CLIENT_IP_HEADER) is not set: every "
                "visitor counts as the proxy's address in the log-in throttle.",
                hint="Set TRUSTED_PROXY_COUNT to the number of reverse proxies of your own in front of Driehoek.",
                id="driehoek.W001",
            )
        ]
    return []
