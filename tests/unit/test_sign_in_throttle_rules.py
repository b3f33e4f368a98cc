"""Which failure counts hold a sign-in: the rule, without a database."""

from __future__ import annotations

from tf_web.throttle import LONG, SHORT, counts_for


def test_an_unfamiliar_browser_is_held_per_name_and_address_per_address_and_per_name():
    counts = counts_for(" Alice ", "198.51.100.7", device=None)
    assert [(c.key, c.limit, c.window) for c in counts] == [
        ("user-address:alice|198.51.100.7", 5, SHORT),
        ("address:198.51.100.7", 20, SHORT),
        ("user:alice", 10, LONG),
    ]


def test_a_known_device_is_held_only_by_its_own_failures():
    (count,) = counts_for("alice", "198.51.100.7", device="d3v1c3")
    assert (count.key, count.limit) == ("device:d3v1c3", 5)


def test_success_forgives_the_owners_typos_but_not_a_guessers_count_against_the_name():
    cleared = [c.key for c in counts_for("alice", "198.51.100.7", None) if c.cleared_by_success]
    assert cleared == ["user-address:alice|198.51.100.7"]
    assert all(c.cleared_by_success for c in counts_for("alice", "x", device="d"))
