"""One digest of a ticket's comment rows, worked out alike by PostgreSQL (over the read
table) and by Python (over the rows a replay expects): the agreement check compares the
two, so a long ticket's comments need not cross the wire on every check of its history.

Each row becomes one line of length-prefixed parts, so no text can pass for another row.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

READ_DIGEST = """
SELECT encode(sha256(convert_to(coalesce(string_agg(
    version || ':' || author_id || ':' || length(author_username) || ':' || author_username
    || ':' || length(text) || ':' || text || ':'
    || (extract(epoch FROM created_at) * 1000000)::bigint,
    E'\\n' ORDER BY version), ''), 'UTF8')), 'hex')
FROM ticket_comments WHERE ticket_id = %s
"""


def digest(rows: Iterable[dict[str, Any]]) -> str:
    """The digest of comment rows as the read table holds them, oldest first."""
    lines = (
        f"{row['version']}:{row['author_id']}:{len(row['author_username'])}:"
        f"{row['author_username']}:{len(row['text'])}:{row['text']}:"
        f"{(row['created_at'] - _EPOCH) // timedelta(microseconds=1)}"
        for row in rows
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


class Remembered:
    """The expected digest of each replay seen lately: a replay never changes (see
    tf_events.tickets.replays), so its digest is worked out once."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._digests: OrderedDict[int, tuple[object, str]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, replayed: object, rows: Callable[[], Iterable[dict[str, Any]]]) -> str:
        # Keyed by identity; the entry holds the replay, so its id is not reused meanwhile.
        key = id(replayed)
        with self._lock:
            held = self._digests.get(key)
        if held is not None and held[0] is replayed:
            return held[1]
        found = digest(rows())
        with self._lock:
            self._digests[key] = (replayed, found)
            while len(self._digests) > self._size:
                self._digests.popitem(last=False)
        return found
