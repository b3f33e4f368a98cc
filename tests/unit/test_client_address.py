"""X-Forwarded-For is believed only from the proxies the admin names."""

from __future__ import annotations

import pytest

from tf_web.proxies import client_address, trusted_networks

LB = trusted_networks(["10.0.0.5", "192.168.0.0/16"])


def test_the_header_is_ignored_when_no_proxy_is_trusted():
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"


def test_the_header_is_ignored_when_the_peer_is_not_a_trusted_proxy():
    assert client_address("203.0.113.9", "198.51.100.1", LB) == "203.0.113.9"


def test_the_address_a_trusted_proxy_saw_is_the_client():
    assert client_address("10.0.0.5", "198.51.100.1", LB) == "198.51.100.1"


def test_what_the_client_wrote_before_the_trusted_hops_is_not_believed():
    forged = "1.2.3.4, 198.51.100.1"  # the client sent "1.2.3.4"; the proxy appended its peer
    assert client_address("10.0.0.5", forged, LB) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_hop():
    assert client_address("10.0.0.5", "198.51.100.1, 192.168.3.4", LB) == "198.51.100.1"


@pytest.mark.parametrize("garbage", ["", " , ", "not-an-ip", "198.51.100.1:443"])
def test_garbage_from_a_trusted_proxy_stops_the_walk(garbage):
    assert client_address("10.0.0.5", garbage, LB) == "10.0.0.5"


def test_ipv6_proxies_and_clients_work():
    trusted = trusted_networks(["fd00::/8"])
    assert client_address("fd00::1", "2001:db8::7", trusted) == "2001:db8::7"


def test_a_misspelt_proxy_is_refused_at_start_with_a_clear_error():
    with pytest.raises(ValueError, match=r"TF_TRUSTED_PROXIES: '10\.0\.0\.300'"):
        trusted_networks(["10.0.0.300"])
