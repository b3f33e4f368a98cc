"""The SSRF guard over many addresses, IPv4 and IPv6, with and without the hook's
"allow private network targets"."""

from __future__ import annotations

import ipaddress

import pytest

from tf_notifications.webhooks.guard import TargetRefused, address_refusal, check_target

ALWAYS_REFUSED = [
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "239.255.255.250",
    "::",
    "ff02::1",
    "ff0e::1",
]
PRIVATE = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "192.0.2.10",  # documentation
    "198.18.0.1",  # benchmarking
    "240.0.0.1",  # reserved
    "::1",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.1.2.3",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2001:db8::1",  # documentation
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::1"]


@pytest.mark.parametrize("address", ALWAYS_REFUSED)
def test_unspecified_multicast_and_broadcast_are_refused_even_when_private_is_allowed(address):
    ip = ipaddress.ip_address(address)
    assert address_refusal(ip, allow_private=False)
    assert address_refusal(ip, allow_private=True)


@pytest.mark.parametrize("address", PRIVATE)
def test_private_loopback_link_local_and_reserved_are_refused_unless_allowed(address):
    ip = ipaddress.ip_address(address)
    assert address_refusal(ip, allow_private=False)
    assert address_refusal(ip, allow_private=True) is None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert address_refusal(ipaddress.ip_address(address), allow_private=False) is None


def dns(table):
    return lambda host, port: table.get(host, [])


def test_a_host_is_refused_when_any_of_its_addresses_is_private():
    resolve = dns({"mixed.example": ["93.184.216.34", "10.0.0.5"]})
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.5"):
        check_target("https://mixed.example/hook", False, resolve)


def test_the_target_carries_the_checked_address_port_and_path():
    resolve = dns({"hooks.example": ["93.184.216.34"]})
    target = check_target("https://hooks.example:8443/in?x=1", False, resolve)
    assert (target.scheme, target.host, target.port) == ("https", "hooks.example", 8443)
    assert (target.path, target.address) == ("/in?x=1", "93.184.216.34")
    assert check_target("http://hooks.example", False, resolve).port == 80


def test_loopback_passes_only_when_the_admin_allowed_private_targets():
    resolve = dns({"localhost": ["127.0.0.1", "::1"]})
    with pytest.raises(TargetRefused, match="allow private network targets"):
        check_target("http://localhost:8200/", False, resolve)
    assert check_target("http://localhost:8200/", True, resolve).address == "127.0.0.1"


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.com/x", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("gopher://127.0.0.1:25/", "http:// or https://"),
        ("http://user:pw@example.com/", "user name or password"),
        ("http:///nohost", "host name"),
        ("http://example.com:99999/", "not a valid URL"),
        ("http://exa mple.com/", "spaces"),
        ("", "Give the URL"),
        ("http://example.com/#frag", "fragment"),
        ("http://nowhere.invalid/", "could not be found"),
    ],
)
def test_urls_that_are_not_plain_http_targets_are_refused_with_a_reason(url, message):
    with pytest.raises(TargetRefused, match=message):
        check_target(url, True, dns({"example.com": ["93.184.216.34"]}))


def test_literal_addresses_are_checked_like_resolved_ones():
    with pytest.raises(TargetRefused, match="loopback"):
        check_target("http://[::1]:8080/", False)
    with pytest.raises(TargetRefused, match="private"):
        check_target("http://10.1.2.3/", False)
