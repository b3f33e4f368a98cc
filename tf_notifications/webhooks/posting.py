"""One POST to a checked address: tight timeouts, no redirects followed, the response
body read only up to a small limit."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from tf_notifications.webhooks.guard import Target

TIMEOUT_SECONDS = 5.0
MAX_RESPONSE_CHARS = 1000


@dataclass(frozen=True)
class Reply:
    status_code: int | None  # None: no answer (refused, timed out, TLS failed)
    response: str
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address the guard checked, whatever DNS says now; the Host header
    still names the URL's host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address
        self.tls = ssl.create_default_context()

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the URL's host name, not the address.
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(
    target: Target, headers: dict[str, str], body: bytes, timeout: float = TIMEOUT_SECONDS
) -> Reply:
    started = time.monotonic()
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    conn = kind(target, timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        answer = conn.getresponse()
        text = answer.read(MAX_RESPONSE_CHARS * 4).decode("utf-8", "replace")
        error = None
        if 300 <= answer.status < 400:
            error = f"Redirected to {answer.getheader('location', '?')[:200]} (not followed)."
        elif not 200 <= answer.status < 300:
            error = f"The receiver answered {answer.status} {answer.reason}."[:200]
        return Reply(answer.status, text[:MAX_RESPONSE_CHARS], error, _since(started))
    except TimeoutError:
        return Reply(None, "", f"No answer within {timeout:g} seconds.", _since(started))
    except (OSError, http.client.HTTPException) as failed:
        return Reply(None, "", f"{type(failed).__name__}: {failed}"[:500], _since(started))
    finally:
        conn.close()


def _since(started: float) -> float:
    return time.monotonic() - started
