"""Asking ClamAV's daemon (clamd) whether a file is safe (SEC-25).

The file is streamed to clamd over its socket (INSTREAM), so clamd needs no access to our storage.
Uses `clamav-client` (Artefactual's maintained successor of the `clamd` package). Anything short of a
clear "OK" or "FOUND" answer raises ScannerUnavailable: callers keep the file in quarantine (fail closed).
Settings: CLAMD_HOST/CLAMD_PORT for TCP, otherwise the unix socket CLAMD_SOCKET; CLAMD_TIMEOUT in seconds.
"""

from dataclasses import dataclass
from typing import BinaryIO

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings


class ScannerUnavailable(Exception):
    """clamd gave no verdict: not reachable, timed out, over its size limit, or answered with an error."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""  # the name of what clamd found (never any of the file's content)


def _client() -> ClamdNetworkSocket:
    if settings.CLAMD_HOST:
        return ClamdNetworkSocket(host=settings.CLAMD_HOST, port=settings.CLAMD_PORT, timeout=settings.CLAMD_TIMEOUT)
    return ClamdUnixSocket(path=settings.CLAMD_SOCKET, timeout=settings.CLAMD_TIMEOUT)


def scan(stream: BinaryIO) -> Verdict:
    """Stream the file to clamd and return its verdict, or raise ScannerUnavailable."""
    try:
        reply = _client().instream(stream)
    except (ClamdError, OSError) as e:  # OSError: socket timeouts and resets during the upload to clamd
        raise ScannerUnavailable(str(e)) from e
    status, signature = reply.get("stream", (None, None))
    if status == "OK":
        return Verdict(clean=True)
    if status == "FOUND":
        return Verdict(clean=False, signature=signature or "unknown")
    raise ScannerUnavailable(f"clamd answered {status!r}: {signature!r}")
