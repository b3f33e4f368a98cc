"""Publishing a ticket type from its page in Design, over HTTP."""

from __future__ import annotations

import html

import pytest
import requests

from tf_projections.waiting import wait_for

PAGE = "/design/ticket-types/flower-order"
ACTION = "/design/ticket-types/flower-order/publication"


@pytest.fixture
def designer(signed_in, system):
    from tf_system.demo import seed_demo_data

    wait_for(system.pool, seed_demo_data(system.app), 5)
    return signed_in("dana", ("designer",))


def test_a_designer_publishes_a_form_and_gets_its_snippet_and_link(designer, live_server):
    assert "Not published" in designer.get(PAGE).text
    done = designer.submit(
        PAGE,
        ACTION,
        {
            "origins": "https://Shop.Example.com/\nhttp://127.0.0.1:8399",
            "contact_from_name": "customer_name",
            "contact_from_email": "customer_email",
            "daily_cap": "40",
        },
    )
    assert done.status_code == 303, done.text
    page = html.unescape(designer.get(PAGE).text)
    assert (
        f'<script src="{live_server}/public/embed.js" data-ticketflower-form="flower-order"' in page
    )
    assert f"{live_server}/public/flower-order" in page
    assert "Today (UTC): 0 of 40." in page
    public = requests.get(f"{live_server}/public/flower-order", timeout=10)
    assert (
        "frame-ancestors 'self' https://shop.example.com http://127.0.0.1:8399"
        in (public.headers["Content-Security-Policy"])
    )
    assert 'name="contact_email"' not in public.text  # the form's own email field is used


def test_bad_settings_come_back_by_name_and_publish_nothing(designer, live_server):
    refused = designer.submit(
        PAGE, ACTION, {"origins": "shop.example.com/orders", "daily_cap": "0"}
    )
    assert refused.status_code == 422
    assert "is not a website origin" in refused.text
    assert "Between 1 and 10,000 tickets a day." in refused.text
    assert requests.get(f"{live_server}/public/flower-order", timeout=10).status_code == 404


def test_unpublishing_takes_the_form_off_the_web(designer, live_server):
    designer.submit(PAGE, ACTION, {"origins": "https://shop.example.com", "daily_cap": "5"})
    assert requests.get(f"{live_server}/public/flower-order", timeout=10).status_code == 200
    designer.submit(PAGE, ACTION, {"unpublish": "1"})
    assert requests.get(f"{live_server}/public/flower-order", timeout=10).status_code == 404


def test_only_designers_may_publish(signed_in, designer):
    team = signed_in("tess", ("ticket_team",))
    assert team.get(PAGE).status_code == 403
    refused = team.submit("/", ACTION, {"origins": "https://shop.example.com", "daily_cap": "5"})
    assert refused.status_code == 403


def test_the_embed_script_is_served_at_a_stable_address(live_server):
    script = requests.get(f"{live_server}/public/embed.js", timeout=10)
    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert "ticketflower:height" in script.text
