"""The definitions API: token authentication, the same rules as the pages, errors by path."""

from __future__ import annotations

import re

import requests

from tests.conftest import api
from tests.samples import TRIAGE, definition_set, sample


def test_the_api_needs_a_valid_token(live_server, token_for):
    assert api(live_server, None)("GET", "/me").status_code == 401
    assert api(live_server, "tf_made-up")("GET", "/me").status_code == 401
    token = token_for("dana", ("designer",))
    me = api(live_server, token)("GET", "/me")
    assert me.status_code == 200
    assert me.json()["username"] == "dana"


def test_a_revoked_token_stops_working_at_once(live_server, signed_in):
    dana = signed_in("dana", ("designer",))
    page = dana.submit("/account", "/account/tokens", {"name": "laptop"})
    token = re.search(r'id="new-token">([^<]+)<', page.text).group(1)
    assert token not in dana.get("/account").text, "a token is shown only once"
    token_id = re.search(r"/account/tokens/([0-9a-f]+)/revoke", page.text).group(1)
    dana.submit("/account", f"/account/tokens/{token_id}/revoke", {})
    assert api(live_server, token)("GET", "/me").status_code == 401


def test_the_session_cookie_does_not_authenticate_the_api(live_server, signed_in):
    dana = signed_in("dana", ("designer",))
    assert dana.get("/api/v1/definitions/tasks").status_code == 401


def test_definitions_need_the_designer_or_admin_role(live_server, token_for):
    call = api(live_server, token_for("tess", ("ticket_team",)))
    assert call("GET", "/definitions/tasks").status_code == 403
    assert call("POST", "/definitions/tasks", json=TRIAGE).status_code == 403


def test_create_read_revise_and_read_an_old_version(live_server, token_for):
    call = api(live_server, token_for("dana", ("designer",)))
    created = call("POST", "/definitions/tasks", json=TRIAGE)
    assert created.status_code == 201
    assert created.json()["version"] == 1
    assert created.json()["content"]["outputs"][0]["options"] == ["low", "normal", "high"]

    revised = call("PUT", "/definitions/tasks/triage", json=sample(TRIAGE, name="Sort"))
    assert (revised.status_code, revised.json()["version"]) == (200, 2)
    assert call("GET", "/definitions/tasks/triage").json()["content"]["name"] == "Sort"
    assert call("GET", "/definitions/tasks/triage?version=1").json()["content"]["name"] == "Triage"
    assert [d["key"] for d in call("GET", "/definitions/tasks").json()["items"]] == ["triage"]

    archived = call("POST", "/definitions/tasks/triage/archive")
    assert archived.json()["archived"] is True


def test_invalid_definitions_get_422_with_field_paths(live_server, token_for):
    call = api(live_server, token_for("dana", ("designer",)))
    bad = sample(TRIAGE, outputs=[{"name": "p", "type": "choice", "label": "P"}])
    response = call("POST", "/definitions/tasks", json=bad)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "outputs.0.options": ["A choice field needs at least one option."]
    }
    assert call("POST", "/definitions/tasks", data="not json").status_code == 400
    assert call("PUT", "/definitions/tasks/nothing", json=TRIAGE).status_code == 404


def test_a_definition_set_imports_and_exports(live_server, token_for):
    call = api(live_server, token_for("ada", ("admin",)))
    imported = call("POST", "/definition-sets", json=definition_set())
    assert imported.status_code == 200
    exported = call("GET", "/definition-sets/it-request").json()
    assert [t["key"] for t in exported["ticket_types"]] == ["laptop-request"]


def test_the_openapi_document_describes_the_api_and_the_docs_page_reads_it(live_server):
    spec = requests.get(f"{live_server}/api/v1/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/definitions/{slug}" in spec["paths"]
    assert "FieldSpec" in spec["components"]["schemas"]
    post = spec["paths"]["/api/v1/definitions/{slug}"]["post"]
    assert set(post["responses"]) >= {"201", "401", "403", "404", "409", "422"}
    error = post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert spec["components"]["schemas"][error.split("/")[-1]]["required"] == ["error"]
    docs = requests.get(f"{live_server}/api/v1/docs", timeout=10)
    assert docs.status_code == 200
    assert "/definition-sets" in docs.text


def test_every_api_route_is_in_the_openapi_document(system, live_server):
    from tests.conftest import routes_under

    spec = requests.get(f"{live_server}/api/v1/openapi.json", timeout=10).json()
    undocumented = [
        (method, path)
        for method, path in routes_under(
            system,
            "/api/v1",
            {
                "<slug>": "{slug}",
                "<key>": "{key}",
                "<uuid:ticket_id>": "{ticket_id}",
                "<uuid:conversation_id>": "{conversation_id}",
                "<action>": "{action}",
                "<int:n>": "{n}",
            },
        )
        if path not in ("/api/v1/openapi.json", "/api/v1/docs")
        and method.lower() not in spec["paths"].get(path, {})
    ]
    assert undocumented == []
