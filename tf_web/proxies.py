"""The client's address, believing X-Forwarded-For only from proxies the admin names.

Anyone can send an X-Forwarded-For header, so it is read only when the peer that
connected is a trusted proxy (TF_TRUSTED_PROXIES: addresses or networks), and then only
as far back as the hops stay trusted: each proxy appends the address it saw on the right.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"TF_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
                " (for example 10.0.0.5 or 10.0.0.0/8)."
            ) from None
    return tuple(networks)


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """Walk back from the peer through trusted proxies; the first other hop is the client."""
    client = peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(client, trusted):
            break
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break  # a trusted proxy passed on something that is not an address
    return client


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR becomes the client's address, so the request log,
    the sign-in throttle and the rate limiter all see the same one."""

    def __init__(self, wsgi_app: Any, trusted: tuple[Network, ...]) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = trusted

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        environ["tf.peer_addr"] = peer
        environ["REMOTE_ADDR"] = client_address(
            peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted
        )
        return self.wsgi_app(environ, start_response)
