"""Where a sign-in may send the user next: only to a path on this site.

Judged on the URL a browser would follow, not on its first characters: browsers drop
tabs and newlines anywhere in a URL, trim control characters and spaces at its ends, and
read a backslash as a slash (as werkzeug passes them on), so "/\t/evil.example" and
"/\\evil.example" both lead to another host. The target is normalised that way, then
parsed: a scheme or a host means it leaves the site. Its percent-decoded form is judged
too, for proxies and frameworks that decode once more.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_DROPPED_ANYWHERE = re.compile(r"[\t\n\r]")
_TRIMMED_AT_ENDS = "".join(chr(c) for c in range(0x21))  # C0 controls and space


def _as_a_browser_reads_it(target: str) -> str:
    return _DROPPED_ANYWHERE.sub("", target).strip(_TRIMMED_AT_ENDS).replace("\\", "/")


def _stays_on_site(target: str) -> bool:
    normalised = _as_a_browser_reads_it(target)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in normalised):
        return False
    try:
        parts = urlsplit(normalised)
    except ValueError:
        return False
    return (
        not parts.scheme
        and not parts.netloc
        and normalised.startswith("/")
        and not normalised.startswith("//")
    )


def same_site_path(target: str) -> str | None:
    """The path to go to, or None when the target could lead anywhere else."""
    if not target or not _stays_on_site(target) or not _stays_on_site(unquote(target)):
        return None
    return _as_a_browser_reads_it(target)
