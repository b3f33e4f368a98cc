"""The SSRF guard: a webhook URL may point only at the public internet, unless its admin
allowed private network targets on that hook. Checked at registration and again before
every attempt (DNS answers change), and the sender connects to the address checked."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from tf_events.errors import Invalid
from tf_notifications.webhooks.aggregate import url_problem

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port → the addresses it resolves to; tests give their own DNS.
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_BROADCAST = ipaddress.ip_address("255.255.255.255")


class TargetRefused(Invalid):
    field = "url"


@dataclass(frozen=True)
class Target:
    """Where one attempt goes: the URL's parts, and the address that passed the guard."""

    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: str


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address reaches through (mapped, NAT64, 6to4, Teredo)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo:
        found.extend(ip.teredo)
    if ip in _NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def address_refusal(ip: IPAddress, allow_private: bool) -> str | None:
    """Why a hook may not connect to `ip`, or None when it may."""
    for inner in embedded_ipv4(ip):
        if reason := address_refusal(inner, allow_private):
            return reason
    if ip.is_unspecified or ip.is_multicast or ip == _BROADCAST:
        return f"{ip} is not an address a webhook can be sent to."
    if allow_private:
        return None
    if ip.is_loopback:
        return f"{ip} is this machine (loopback)."
    if ip.is_link_local:
        return f"{ip} is a link-local address."
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return f"{ip} is a private or reserved address."
    return None


def check_target(url: str, allow_private: bool, resolve: Resolver = system_resolver) -> Target:
    """Resolve the URL's host and check every address it has; raise TargetRefused."""
    if problem := url_problem(url):
        raise TargetRefused(problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise TargetRefused(f"The host {host} could not be found.")
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            raise TargetRefused(f"{host} resolves to something that is not an address.") from None
        if reason := address_refusal(ip, allow_private):
            hint = "" if allow_private else " Tick “allow private network targets” to allow it."
            said = reason if ip == _literal(host) else f"{host} resolves to {address}: {reason}"
            raise TargetRefused(said + hint)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None
