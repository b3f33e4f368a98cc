"""Website origins a published form may be embedded in, as browsers write them."""

from __future__ import annotations

import ipaddress
import re

from tf_events.errors import Errors

MAX_ORIGINS = 20
_ORIGIN = re.compile(r"(https?)://([^/:?#\s@]+)(?::(\d{1,5}))?/?")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_DEFAULT_PORTS = {"http": 80, "https": 443}
EXAMPLE = "https://shop.example.com"


class OriginInvalid(ValueError):
    pass


def clean_origin(raw: str) -> str:
    """`scheme://host[:port]` in the form a browser sends it (lower case, no default port,
    no path), so it can go into `frame-ancestors` and be compared with `event.origin`."""
    text = raw.strip().lower()
    match = _ORIGIN.fullmatch(text)
    if match is None:
        raise OriginInvalid(
            f"'{raw.strip()[:80]}' is not a website origin: write scheme://host[:port],"
            f" e.g. {EXAMPLE} (no path)."
        )
    scheme, host, port = match.groups()
    if not _HOSTNAME.fullmatch(host) or len(host) > 253:
        raise OriginInvalid(f"'{host[:80]}' is not a host name or IPv4 address.")
    if host[0].isdigit() and host.replace(".", "").isdigit():
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise OriginInvalid(f"'{host}' is not an IPv4 address.") from None
    if port is None or int(port) == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    if not 0 < int(port) < 65536:
        raise OriginInvalid(f"Port {port} is out of range (1-65535).")
    return f"{scheme}://{host}:{int(port)}"


def clean_origins(raw: list[str]) -> tuple[list[str], Errors]:
    """The origins, cleaned and without repeats, or errors under `origins`."""
    cleaned: list[str] = []
    problems: list[str] = []
    for line in raw:
        if not line.strip():
            continue
        try:
            origin = clean_origin(line)
        except OriginInvalid as invalid:
            problems.append(str(invalid))
            continue
        if origin not in cleaned:
            cleaned.append(origin)
    if len(cleaned) > MAX_ORIGINS:
        problems.append(f"At most {MAX_ORIGINS} websites.")
    return cleaned, ({"origins": problems} if problems else {})
