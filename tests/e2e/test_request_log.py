"""The request log says who made each request: the session's user, or the API token's."""

from __future__ import annotations

import json

from tests.conftest import api


def test_an_api_request_is_logged_with_the_tokens_user_and_id_never_the_token(
    live_server, token_for, system, request_log
):
    token = token_for("dana", ("designer",))
    assert api(live_server, token)("GET", "/me").status_code == 200
    with system.pool.connection() as conn:
        (token_id,) = conn.execute("SELECT id FROM api_tokens").fetchone()
    (line,) = [line for line in request_log if line["path"] == "/api/v1/me"]
    assert line["user"] == "dana"
    assert line["token_id"] == token_id
    assert all(token not in json.dumps(line) for line in request_log)


def test_a_refused_token_is_logged_without_a_user(live_server, request_log):
    assert api(live_server, "tf_not_a_token")("GET", "/me").status_code == 401
    (line,) = [line for line in request_log if line["path"] == "/api/v1/me"]
    assert (line["user"], line["token_id"]) == (None, None)


def test_a_page_is_logged_with_the_signed_in_user(signed_in, request_log):
    signed_in("alice").get("/")
    (line,) = [line for line in request_log if line["path"] == "/"]
    assert (line["user"], line["token_id"]) == ("alice", None)
