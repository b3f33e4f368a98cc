"""Form bytes that are not UTF-8 are refused by field name, never silently changed."""

from __future__ import annotations

import pytest
from flask import Flask, request

from tf_web import request_input
from tf_web.request_input import InputRefused


@pytest.fixture
def client():
    app = Flask(__name__)
    request_input.init_app(app)

    @app.post("/echo")
    def echo():
        return {"form": request.form.to_dict(), "files": list(request.files)}

    @app.errorhandler(InputRefused)
    def refused(error: InputRefused):
        return {"errors": error.errors}, error.code

    return app.test_client()


def test_urlencoded_bytes_that_are_not_utf8_are_refused_by_name(client):
    answer = client.post(
        "/echo",
        data=b"name=ok&note=caf%E9&raw=x\xffy",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"note", "raw"}


def test_multipart_bytes_that_are_not_utf8_are_refused_by_name(client):
    body = (
        b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nZo\xc3\xab\r\n'
        b'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\ncaf\xe9\r\n--b--\r\n'
    )
    answer = client.post("/echo", data=body, content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"note"}


def test_utf8_and_declared_latin1_text_is_kept_as_sent(client):
    body = (
        b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nZo\xc3\xab\r\n'
        b'--b\r\nContent-Disposition: form-data; name="note"\r\n'
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9\r\n--b--\r\n"
    )
    answer = client.post("/echo", data=body, content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 200
    assert answer.json["form"] == {"name": "Zoë", "note": "café"}
    plain = client.post("/echo", data={"name": "Zoë & co", "q": "a+b=c"})
    assert plain.json["form"] == {"name": "Zoë & co", "q": "a+b=c"}
