"""A ticket's text is bounded so that its search index always fits PostgreSQL's tsvector
(1 MB): a ticket that is accepted is a ticket the projection can keep."""

from __future__ import annotations

import itertools
import string

from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet, SubmitTicket
from tf_events.tickets.data_schema import MAX_TEXT_PER_TICKET, validate_data
from tf_projections.status import all_statuses
from tf_projections.waiting import wait_for

FIELDS = [
    {"name": f"part_{i}", "type": "long_text", "label": f"Part {i}", "max_length": 100_000}
    for i in range(14)
]


def most_varied_words(characters: int) -> str:
    """Distinct four-letter words: the text that makes the largest tsvector per character."""
    alphabet = string.ascii_lowercase + string.digits
    words = ("".join(w) for w in itertools.product(alphabet, repeat=4))
    return " ".join(itertools.islice(words, characters // 5))


def test_more_text_than_a_ticket_can_index_is_refused_naming_the_largest_field():
    text = most_varied_words(MAX_TEXT_PER_TICKET + 10_000)
    data = {f"part_{i}": text[i * 20_000 : (i + 1) * 20_000] for i in range(14)}
    data["part_3"] = text[:30_000]
    clean, errors = validate_data(FIELDS, data)
    assert clean == {} and list(errors) == ["part_3"]


def test_a_ticket_at_the_limit_of_the_most_varied_words_is_projected(system, workers):
    text = most_varied_words(MAX_TEXT_PER_TICKET - 1_000)
    data = {f"part_{i}": text[i * 20_000 : (i + 1) * 20_000] for i in range(14)}
    data = {"summary": "Long", **{name: value for name, value in data.items() if value}}
    sets = definition_set()
    sets["workflows"][0]["fields"] += FIELDS
    sets["ticket_types"][0]["fields"] = ["summary", *(f["name"] for f in FIELDS)]
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(sets, by="dana")), 5)
    ticket, written = system.app.handle(
        SubmitTicket(
            submission_key="limit",
            ticket_type_key=sets["ticket_types"][0]["key"],
            data=data,
            submitter={"id": "00000000-0000-0000-0000-000000000001", "username": "sam"},
            user_roles=frozenset(),
        )
    )
    wait_for(system.pool, written, 10)
    with system.pool.connection() as conn:
        size = conn.execute(
            "SELECT pg_column_size(search) FROM tickets WHERE id = %s", (ticket.id,)
        ).fetchone()[0]
    assert 400_000 < size < 1_048_575
    assert not any(status.failures for status in all_statuses(system.pool))
