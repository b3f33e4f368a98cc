"""Values at and past the edges of their type (the last date, huge or odd numbers, a damaged
page link, a made-up form value) are refused by name, never a 500."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from marshmallow import fields

from tests.conftest import api, csrf_token
from tests.e2e.walk import (
    WRITE_METHODS,
    document,
    fill,
    form_names,
    page_routes,
    page_url,
    replaced,
    string_leaves,
)
from tests.samples import definition_set
from tf_events.commands import ImportDefinitionSet
from tf_projections.waiting import wait_for
from tf_web.tickets.list_args import LABELS, ListArgs

DATE_PARAMS = [n for n, f in ListArgs._declared_fields.items() if isinstance(f, fields.Date)]
NUMBER_PARAMS = [n for n, f in ListArgs._declared_fields.items() if isinstance(f, fields.Integer)]
EDGE_DATES = ["9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30"]
ODD_NUMBERS = ["99999999999999999999", "-1", "²", "1e3", "0x10"]
LISTS = [("page", "/tickets/mine"), ("page", "/tickets/"), ("api", "/tickets?scope=all")]


def cursor_holding(value: object) -> str:
    raw = json.dumps(["summary", value, str(uuid.uuid4()), False])  # "\ud800" as an escape
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def named(text: str, name: str) -> bool:
    """The API names a parameter; the pages by its label."""
    return f'"{name}"' in text or LABELS[name] in text


@pytest.fixture
def lists(signed_in, token_for, live_server):
    http = signed_in("tess", ("ticket_team",))
    call = api(live_server, token_for("tina", ("ticket_team",)))

    def get(kind: str, path: str, **params: str):
        if kind == "api":
            return call("GET", path, params=params)
        return http.get(path, params=params)

    return get


def test_every_date_parameter_refuses_days_past_its_edges_by_name(lists):
    assert DATE_PARAMS  # read from the schema: a new date parameter is covered too
    for kind, path in LISTS:
        for name in DATE_PARAMS:
            for day in EDGE_DATES:
                response = lists(kind, path, **{name: day})
                assert response.status_code == 400, (path, name, day, response.status_code)
                assert named(response.text, name), (path, name, day)
            assert lists(kind, path, **{name: "9999-12-30"}).status_code == 200


def test_every_number_parameter_refuses_odd_numbers_by_name(lists):
    assert NUMBER_PARAMS
    for kind, path in LISTS:
        for name in NUMBER_PARAMS:
            for number in ODD_NUMBERS:
                response = lists(kind, path, **{name: number})
                assert response.status_code == 400, (path, name, number, response.status_code)
                assert named(response.text, name), (path, name, number)


@pytest.mark.parametrize(
    "value", ["x\ud800y", "\udfff", ["\ud800"], {"a": "\x00"}, "2026-01-01\x00"]
)
def test_a_page_link_holding_what_cannot_be_stored_is_refused_as_damaged(lists, value):
    for kind, path in LISTS:
        response = lists(kind, path, sort="summary", cursor=cursor_holding(value))
        assert response.status_code == 400, (path, value, response.status_code)
        assert named(response.text, "cursor")


@pytest.fixture
def designer(signed_in, system):
    http = signed_in("dana", ("designer",))
    wait_for(system.pool, system.app.handle(ImportDefinitionSet(definition_set(), by="dana")), 5)
    return http


@pytest.mark.parametrize("extra", ["abc", "²", "-1", "99999999999999999999", "1.5"])
def test_a_made_up_row_count_on_any_design_form_is_refused_by_name(designer, extra):
    keys = {
        "tasks": definition_set()["tasks"][0]["key"],
        "workflows": definition_set()["workflows"][0]["key"],
        "ticket-types": definition_set()["ticket_types"][0]["key"],
    }
    for slug, key in keys.items():
        for form in (f"/design/{slug}/new", f"/design/{slug}/{key}/edit"):
            response = designer.submit(form, form, {"name": "X", "extra": extra})
            assert response.status_code == 422, (form, extra, response.status_code)
            assert "<strong>extra</strong>" in response.text


def test_version_numbers_in_addresses_are_refused_by_name_or_not_found(
    designer, signed_in, token_for, live_server, system
):
    task = definition_set()["tasks"][0]["key"]
    call = api(live_server, token_for("dora", ("designer",)))
    for odd in ("²", "abc", "-1", "99999999999999999999"):
        response = call("GET", f"/definitions/tasks/{task}", params={"version": odd})
        assert response.status_code == 422, (odd, response.text)
        assert list(response.json()["errors"]) == ["version"]
    huge = designer.get(f"/design/tasks/{task}/versions/99999999999999999999")
    assert huge.status_code == 404
    audrey = signed_in("audrey", ("auditor",))
    ana = api(live_server, token_for("ana", ()))
    ticket_type = definition_set()["ticket_types"][0]["key"]
    created = ana(
        "POST", "/tickets", json={"ticket_type": ticket_type, "data": {"summary": "Edges"}}
    )
    if created.status_code != 201:
        pytest.fail(created.text)
    history = f"/tickets/{created.json()['id']}/history"
    assert audrey.get(history, params={"version": "1"}).status_code == 200
    assert audrey.get(history, params={"version": "99"}).status_code == 404
    for odd in ("²", "abc", "0", "99999999999999999999"):
        response = audrey.get(history, params={"version": odd})
        assert response.status_code == 422, (odd, response.status_code)
        assert "<strong>version</strong>" in response.text


ODD_TEXT = ["abc", "²", "-1", "0", "99999999999999999999", "1e400", "NaN", "9999-12-31", " "]
ODD_JSON = [10**30, -(10**30), -1, 1.5, "", "9999-12-31", "x" * 5000, [], {}, None, True]


def test_no_form_field_answers_an_odd_value_with_a_500(world, system):
    """Every field of every form (from the URL map), each given each odd value in turn."""
    http = world["http"]
    token = csrf_token(http.get("/account/tokens").text)
    routes = sorted(page_routes(system), key=lambda route: route[0] == "/logout")
    for rule, methods, _ in routes:
        if "POST" not in methods:
            continue
        url = page_url(rule, world)
        page = http.get(url)
        names = form_names(page.text) if page.status_code == 200 else ["value"]
        for name in names:
            for odd in ODD_TEXT:
                response = http.post(url, data={"csrf_token": token, name: odd})
                assert response.status_code < 500, (url, name, odd, response.status_code)


def test_no_api_write_route_answers_an_odd_value_with_a_500(world):
    call = world["call"]
    spec = document(call)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            content = op.get("requestBody", {}).get("content", {})
            if method not in WRITE_METHODS or "application/json" not in content:
                continue
            example = content["application/json"].get("example") or {"value": "x"}
            url = fill(path, op, world)
            for leaf in string_leaves(example):
                for odd in ODD_JSON:
                    body = replaced(example, leaf, odd)
                    response = call(method.upper(), url, json=body)
                    assert response.status_code < 500, (method, url, leaf, odd, response.text)
