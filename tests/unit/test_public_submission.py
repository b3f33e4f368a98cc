"""The rules of public submission, in memory: origins, publishing settings, contact
details, the daily cap and who the public identity may be."""

from __future__ import annotations

import uuid

import pytest

from tf_events.errors import Conflict
from tf_events.policy import Action, Actor, may
from tf_events.public.intake import DailyCapReached, DailyIntake
from tf_events.public.origins import OriginInvalid, clean_origin, clean_origins
from tf_events.public.publication import (
    ContactInvalid,
    NotPublished,
    Publication,
    PublicationInvalid,
    asked_apart,
)
from tf_events.public.submission import public_actor, status_token, token_hash


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("https://Shop.Example.com", "https://shop.example.com"),
        ("https://shop.example.com/", "https://shop.example.com"),
        ("https://shop.example.com:443", "https://shop.example.com"),
        ("http://127.0.0.1:8399", "http://127.0.0.1:8399"),
        ("http://localhost:80", "http://localhost"),
    ],
)
def test_an_origin_is_kept_as_a_browser_writes_it(given, origin):
    assert clean_origin(given) == origin


@pytest.mark.parametrize(
    "given",
    [
        "shop.example.com",
        "ftp://shop.example.com",
        "https://shop.example.com/orders",
        "https://*.example.com",
        "https://user@shop.example.com",
        "https://shop.example.com:99999",
        "https://999.1.1.1",
        "https://-bad-.example",
        "javascript:alert(1)",
        "https://shop.example.com; script-src *",
    ],
)
def test_anything_but_scheme_host_and_port_is_no_origin(given):
    with pytest.raises(OriginInvalid):
        clean_origin(given)


def test_origins_lose_repeats_and_blank_lines_and_name_each_bad_one():
    cleaned, errors = clean_origins(["https://a.example", "", "https://A.example/", "nope"])
    assert cleaned == ["https://a.example"]
    assert errors == {"origins": [errors["origins"][0]]} and "'nope'" in errors["origins"][0]


def publication() -> Publication:
    made = Publication("flower-order")
    made.publish(["https://shop.example.com"], ["phone"], 20, by="dana")
    return made


def test_a_new_publication_is_off_until_published():
    fresh = Publication("flower-order")
    with pytest.raises(NotPublished):
        fresh.check_accepting()
    publication().check_accepting()


def test_name_and_email_are_always_asked_for():
    assert publication().contact == ["name", "email", "phone"]


@pytest.mark.parametrize(
    ("origins", "contact", "cap", "field"),
    [
        ([], [], 10, "origins"),
        (["https://ok.example"], ["shoe size"], 10, "contact"),
        (["https://ok.example"], [], 0, "daily_cap"),
        (["https://ok.example"], [], 10_001, "daily_cap"),
        (["https://ok.example"], [], "ten", "daily_cap"),
        (["https://ok.example"], [], True, "daily_cap"),
    ],
)
def test_bad_publishing_settings_are_refused_by_name_and_record_nothing(
    origins, contact, cap, field
):
    fresh = Publication("flower-order")
    with pytest.raises(PublicationInvalid) as refused:
        fresh.publish(origins, contact, cap, by="dana")
    assert field in refused.value.errors
    assert not fresh.published and len(fresh.collect_events()) == 1  # only Created


def test_publishing_the_same_settings_again_records_nothing():
    made = publication()
    made.collect_events()
    made.publish(["https://shop.example.com"], ["phone"], 20, by="dana")
    assert made.collect_events() == []


def test_an_unpublished_form_takes_nothing_and_cannot_be_unpublished_twice():
    made = publication()
    made.unpublish(by="dana")
    with pytest.raises(NotPublished):
        made.check_accepting()
    with pytest.raises(Conflict):
        made.unpublish(by="dana")


def test_contact_details_are_trimmed_and_each_missing_or_bad_one_named():
    made = publication()
    given = {"name": "  Ana   Customer ", "email": "ana@example.com", "phone": "+1 555 0100"}
    assert made.check_contact(given, {}, ())["name"] == "Ana Customer"
    with pytest.raises(ContactInvalid) as refused:
        made.check_contact({"name": "", "email": "ana@", "phone": "call me"}, {}, ())
    assert set(refused.value.errors) == {"contact_name", "contact_email", "contact_phone"}


FORM = {"customer_name": "text", "customer_email": "email", "notes": "long_text"}


def test_contact_details_may_come_from_the_forms_own_fields_and_errors_go_there():
    made = Publication("flower-order")
    taken = {"name": "customer_name", "email": "customer_email"}
    made.publish(["https://shop.example.com"], [], 5, "dana", contact_from=taken, form_fields=FORM)
    assert asked_apart(made.contact, made.contact_from, FORM) == []
    data = {"customer_name": "Ana", "customer_email": "ana@example.com"}
    assert made.check_contact({}, data, FORM) == {"name": "Ana", "email": "ana@example.com"}
    with pytest.raises(ContactInvalid) as refused:
        made.check_contact({}, {"customer_name": "Ana"}, FORM)
    assert set(refused.value.errors) == {"customer_email"}


def test_a_field_since_removed_from_the_form_is_asked_for_apart_again():
    assert asked_apart(["name", "email"], {"email": "customer_email"}, ["customer_name"]) == [
        "name",
        "email",
    ]


@pytest.mark.parametrize(
    "taken",
    [{"email": "customer_name"}, {"name": "no_such_field"}, {"phone": "customer_email"}],
)
def test_a_contact_item_comes_only_from_a_fitting_field_of_the_form(taken):
    with pytest.raises(PublicationInvalid):
        Publication("x").publish(
            ["https://shop.example.com"], [], 5, "dana", contact_from=taken, form_fields=FORM
        )


def test_the_daily_cap_admits_up_to_its_number_then_refuses():
    day = DailyIntake("flower-order", "2026-11-30")
    for _ in range(2):
        day.admit(uuid.uuid4(), daily_cap=2)
    with pytest.raises(DailyCapReached):
        day.admit(uuid.uuid4(), daily_cap=2)
    assert day.admitted == 2


def test_each_type_and_day_counts_apart():
    assert DailyIntake.create_id("a", "2026-11-30") != DailyIntake.create_id("a", "2026-12-01")
    assert DailyIntake.create_id("a", "2026-11-30") != DailyIntake.create_id("b", "2026-11-30")


def test_only_the_public_identity_submits_publicly_and_only_where_published():
    someone = public_actor(uuid.uuid4(), "Ana")
    assert may(someone, Action.SUBMIT_PUBLICLY, published=True)
    assert not may(someone, Action.SUBMIT_PUBLICLY, published=False)
    admin = Actor(uuid.uuid4(), frozenset({"admin", "designer"}))
    assert not may(admin, Action.SUBMIT_PUBLICLY, published=True)


def test_the_public_identity_sees_and_answers_only_its_own_ticket():
    someone = public_actor(uuid.uuid4(), "Ana")

    class Ticket:
        def __init__(self, submitter_id: uuid.UUID) -> None:
            self.submitter_id = submitter_id

    assert may(someone, Action.COMMENT, Ticket(someone.id))
    assert not may(someone, Action.SEE_TICKET, Ticket(uuid.uuid4()))
    assert not may(someone, Action.SEE_ALL_TICKETS)
    assert not may(someone, Action.CLAIM)


def test_a_status_link_depends_on_the_secret_and_only_its_hash_is_kept():
    submitter = uuid.uuid4()
    token = status_token("secret", submitter)
    assert token == status_token("secret", submitter)  # a retried submission: same link
    assert token != status_token("other secret", submitter)
    assert len(token) >= 43 and token_hash(token) != token
