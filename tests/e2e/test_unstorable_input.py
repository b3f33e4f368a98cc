"""Nothing a user sends can become a poison event or a 500: every character PostgreSQL or
psycopg cannot keep, and JSON nested too deeply, is refused where it enters, by name.

The routes come from the OpenAPI document and the app's URL map, not from a list here, so a
new route is covered as soon as it exists (and an API route must be in the document).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import csrf_token
from tests.e2e.test_api_tickets import JSON_VALID
from tests.e2e.walk import (
    WRITE_METHODS,
    document,
    fill,
    form_names,
    page_routes,
    page_url,
    poisoned,
    string_leaves,
)

CHARS = ["\x00", "\ud800", "\udfff"]
# A URL or a form is UTF-8 on the wire: a lone surrogate cannot be written there at all.
WIRE_CHARS = [c for c in CHARS if not "\ud800" <= c <= "\udfff"]


def ident(char: str) -> str:
    return f"U+{ord(char):04X}"


def assert_nothing_was_written(world: dict[str, Any], system, client) -> None:
    assert system.app.recorder.max_notification_id() == world["head"]
    assert client.get("/healthz").json()["status"] == "ok"


# -- the API, from its OpenAPI document ---------------------------------------------------


def takes_text(param: dict[str, Any]) -> bool:
    """A path parameter any text reaches the app through: the router itself answers 404
    for a uuid or a number that is not one (the URL names nothing)."""
    schema = param.get("schema", {})
    return schema.get("format") != "uuid" and schema.get("type") != "integer"


def poisoned_requests(
    path: str, op: dict[str, Any], char: str, world: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any], str, int]]:
    """(url, request keywords, the field the refusal must name, its status)."""
    url = fill(path, op, world)
    if char in WIRE_CHARS:
        yield f"{url}?probe=a{quote(char)}b", {}, "probe", 400
        for param in op.get("parameters", []):
            if param.get("in") == "path" and takes_text(param):
                name = param["name"]
                bad = fill(path, op, world, poison=name).replace(f"{{{name}}}", quote(f"a{char}"))
                yield bad, {}, name, 400
    for media, body in op.get("requestBody", {}).get("content", {}).items():
        example = body.get("example") or {}
        if media == "application/json":
            example = {**example, "note": "text"}
            for leaf in string_leaves(example):
                data = json.dumps(poisoned(example, leaf, char))  # "\ud800" goes as an escape
                headers = {"Content-Type": "application/json"}
                yield url, {"data": data, "headers": headers}, leaf, 422
        elif media == "multipart/form-data":
            properties = body["schema"].get("properties", {})
            if "payload" in properties:
                payload = json.loads(example.get("payload", "{}"))
                for leaf in string_leaves(payload):
                    part = json.dumps(poisoned(payload, leaf, char))
                    yield url, {"files": {"payload": (None, part)}}, leaf, 422
            if char in WIRE_CHARS:
                part = next((n for n, s in properties.items() if s.get("format") == "binary"), "f")
                yield url, {"files": {part: (f"a{char}.txt", b"hello")}}, part, 422


def test_every_api_write_route_is_in_the_openapi_document(world, system):
    from tf_web import create_app

    spec = document(world["call"])
    documented = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    for rule in create_app(system).url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS", "GET"}:
            assert (method.lower(), path) in documented, f"{method} {path} is not documented"


@pytest.mark.parametrize("char", CHARS, ids=ident)
def test_no_api_write_route_takes_what_cannot_be_stored(world, char, system, client):
    call = world["call"]
    spec = document(call)
    tried = 0
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method not in WRITE_METHODS:
                continue
            for url, kwargs, field, status in poisoned_requests(path, op, char, world):
                response = call(method.upper(), url, **kwargs)
                where = f"{method.upper()} {url} with {ident(char)} in {field}"
                assert response.status_code == status, f"{where}: {response.text}"
                assert field in response.json()["errors"], where
                assert "cannot be stored" in " ".join(response.json()["errors"][field])
                tried += 1
    assert tried > 40
    assert_nothing_was_written(world, system, client)


def nested(depth: int) -> str:
    return '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)


def test_json_nested_too_deeply_is_a_400_on_every_api_write_route(world, system, client):
    call = world["call"]
    spec = document(call)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            content = op.get("requestBody", {}).get("content", {})
            if method not in WRITE_METHODS or "application/json" not in content:
                continue
            url = fill(path, op, world)
            for depth in (65, 1_000, 50_000):
                response = call(
                    method.upper(),
                    url,
                    data=nested(depth),
                    headers={"Content-Type": "application/json"},
                )
                assert response.status_code == 400, (url, depth, response.text)
                assert "nested more than 64" in json.dumps(response.json())
            within = call(
                method.upper(), url, data=nested(64), headers={"Content-Type": "application/json"}
            )
            assert within.status_code != 500 and "nested" not in within.text
    assert_nothing_was_written(world, system, client)


# -- the pages, from the URL map -------------------------------------------------------


@pytest.mark.parametrize("char", WIRE_CHARS, ids=ident)
def test_no_form_takes_what_cannot_be_stored(world, char, system, client):
    http = world["http"]
    token = csrf_token(http.get("/account/tokens").text)
    posts, seen = 0, set()
    for rule, methods, _ in page_routes(system):
        if "POST" not in methods:
            continue
        url = page_url(rule, world)
        names = ["probe"]
        if (page := http.get(url)).status_code == 200:  # the form's own page, if it has one
            names += form_names(page.text)
        seen.update(names)
        data = {name: f"a{char}b" for name in names}
        response = http.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 422, f"POST {url} with {ident(char)}: {response.text}"
        for name in names:
            assert f"<strong>{name}</strong>" in response.text, (url, name)
        upload = http.post(
            url, data={"csrf_token": token}, files={"attachment": (f"a{char}.txt", b"hello")}
        )
        assert upload.status_code == 422, f"POST {url}, a file named with {ident(char)}"
        assert "<strong>attachment</strong>" in upload.text
        posts += 1
    assert posts >= 10
    assert {"summary", "details", "text", "name", "key", "username"} <= seen, seen
    assert_nothing_was_written(world, system, client)


@pytest.mark.parametrize("char", WIRE_CHARS, ids=ident)
def test_a_path_parameter_that_cannot_be_stored_is_a_400_on_every_page(world, char, system):
    http = world["http"]
    token = csrf_token(http.get("/account/tokens").text)
    for rule, methods, strings in page_routes(system):
        for name in strings:
            url = page_url(rule, world, poison=(name, char))
            for method in methods:
                response = http.request(method, url, data={"csrf_token": token})
                assert response.status_code == 400, f"{method} {url}: {response.status_code}"
                assert f"<strong>{name}</strong>" in response.text


@pytest.mark.parametrize("body", ["text=a%ED%A0%80b", "text=caf%E9"])
def test_invalid_utf8_in_a_form_is_refused_by_name_not_changed(world, system, client, body):
    """Not a 500, and not werkzeug's silent rewrite (U+FFFD, or the escape kept as text)."""
    http = world["http"]
    token = csrf_token(http.get(f"/tickets/{world['ticket_id']}").text)
    response = http.post(
        f"/tickets/{world['ticket_id']}/comments",
        data=f"csrf_token={token}&{body}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "<strong>text</strong>" in response.text
    assert_nothing_was_written(world, system, client)


def test_other_control_characters_are_kept_end_to_end(world, system, client):
    """PostgreSQL and JSON hold them, and pasted text carries them (U+000B is Word's line
    break): refusing them would lose what a person wrote."""
    text = "line\x0bbreak, page\x0cbreak, escape\x1b[1m, bell\x07"
    created = world["call"](
        "POST",
        "/tickets",
        json={"ticket_type": "everything", "data": {**JSON_VALID, "details": text}},
    )
    assert created.status_code == 201, created.text
    http = world["http"]
    ticket = f"/tickets/{world['ticket_id']}"
    commented = http.submit(ticket, f"{ticket}/comments", {"text": text})
    assert commented.status_code == 303
    with system.pool.connection() as conn:
        details = conn.execute(
            "SELECT data->>'details' FROM tickets WHERE id = %s", (created.json()["id"],)
        ).fetchone()[0]
        comment = conn.execute(
            "SELECT text FROM ticket_comments WHERE ticket_id = %s", (world["ticket_id"],)
        ).fetchone()[0]
    assert details == text and comment == text
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_sandboxed_form_hears_of_a_refusal_by_field_as_json(world):
    """The page's script posts a React form's values and shows the errors by field."""
    http = world["http"]
    token = csrf_token(http.get("/tickets/new/everything").text)
    response = http.post(
        "/tickets/new/everything",
        data={"csrf_token": token, "summary": "a\x00b"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]  # the one error shape, as the API answers
    assert list(response.json()["errors"]) == ["summary"]


def test_a_path_parameter_that_cannot_be_stored_is_a_400_in_the_api(world):
    """Reads too: a definition key holding NUL was a 500 where the database was asked."""
    call = world["call"]
    spec = document(call)
    tried = 0
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for param in op.get("parameters", []):
                if param.get("in") != "path" or not takes_text(param):
                    continue
                name = param["name"]
                url = fill(path, op, world, poison=name).replace(f"{{{name}}}", "a%00b")
                response = call(method.upper(), url)
                assert response.status_code == 400, f"{method.upper()} {url}: {response.text}"
                assert list(response.json()["errors"]) == [name]
                tried += 1
    assert tried >= 10
