"""Where a ticket's file reference may come from: an upload in this request, or an upload
token the server handed to this same user. Nothing a client claims about a file is taken."""

from __future__ import annotations

import io
import uuid

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage, MultiDict

from tf_events.tickets.data_schema import validate_data
from tf_events.tickets.uploads import UploadStore
from tf_web.tickets.submission import Uploads, api_data, form_data, upload_token

SECRET = "test-secret"
SAM, PAT = uuid.uuid4(), uuid.uuid4()
FIELDS = [
    {"name": "summary", "type": "text"},
    {"name": "quote", "type": "file", "max_size_mb": 0.01},
]


@pytest.fixture
def store(tmp_path) -> UploadStore:
    return UploadStore(tmp_path / "uploads")


def uploads(store, user=SAM, files=None) -> Uploads:
    return Uploads(MultiDict(files or {}), store, SECRET, user)


def stored(store, content=b"hello", name="notes.txt") -> dict:
    return store.save(io.BytesIO(content), name, None)


@pytest.mark.parametrize(
    "claim",
    [
        {"sha256": "a" * 64, "name": "x.txt", "size": 1, "content_type": "text/plain"},
        {"sha256": "a" * 64},
        {"upload": "token", "sha256": "a" * 64},
        {"upload": 5},
        "a" * 64,
        ["token"],
        3,
    ],
)
def test_a_program_cannot_name_a_file_by_its_own_claims(store, claim):
    given = api_data(FIELDS, {"summary": "s", "quote": claim}, uploads(store))
    assert given.errors == {"quote": [given.errors["quote"][0]]}
    assert "upload" in given.errors["quote"][0]
    assert "quote" not in given.data


def test_an_upload_token_names_the_file_the_server_measured_for_its_user_only(store):
    ref = stored(store)
    token = upload_token(SECRET, SAM, ref)
    given = api_data(FIELDS, {"quote": {"upload": token}}, uploads(store))
    assert given.errors == {}
    assert given.data["quote"] == ref
    assert ref["size"] == 5 and ref["content_type"] == "text/plain"
    refused = api_data(FIELDS, {"quote": {"upload": token}}, uploads(store, user=PAT))
    assert "not an upload of yours" in refused.errors["quote"][0]


class SignedIn1970(TimestampSigner):
    def get_timestamp(self) -> int:
        return 0


def test_a_forged_or_expired_token_is_refused(store):
    ref = stored(store)
    forged = URLSafeTimedSerializer("another-secret", salt="tf-upload").dumps(
        {"user": str(SAM), "ref": ref}
    )
    assert api_data(FIELDS, {"quote": {"upload": forged}}, uploads(store)).errors
    old = URLSafeTimedSerializer(SECRET, salt="tf-upload", signer=SignedIn1970)
    expired = old.dumps({"user": str(SAM), "ref": ref})
    given = api_data(FIELDS, {"quote": {"upload": expired}}, uploads(store))
    assert "expired" in given.errors["quote"][0]


def test_the_field_size_limit_holds_for_uploads_named_by_token(store):
    ref = stored(store, b"a" * 20_000, "big.txt")
    given = api_data(FIELDS, {"quote": {"upload": upload_token(SECRET, SAM, ref)}}, uploads(store))
    assert given.too_large and "larger than" in given.errors["quote"][0]


def test_a_file_sent_in_the_request_is_stored_and_measured_whatever_the_client_says(store):
    part = FileStorage(io.BytesIO(b"hello"), filename="a\r\nb.png", content_type="image/png")
    given = api_data(FIELDS, {}, uploads(store, files={"quote": part}))
    assert given.data["quote"]["content_type"] == "text/plain"
    assert given.data["quote"]["name"] == "ab.png"
    assert given.data["quote"]["size"] == 5


def test_a_file_part_for_no_file_field_is_refused_not_dropped(store):
    part = FileStorage(io.BytesIO(b"hello"), filename="a.txt")
    given = api_data(FIELDS, {}, uploads(store, files={"summary": part}))
    assert list(given.errors) == ["summary"]


def test_a_web_form_keeps_an_earlier_upload_only_for_the_same_user(store):
    token = upload_token(SECRET, SAM, stored(store))
    form = MultiDict({"summary": "s", "quote__kept": token, "quote": "ignored text"})
    assert form_data(FIELDS, form, uploads(store)).data["quote"]["name"] == "notes.txt"
    assert (
        "not an upload of yours"
        in (form_data(FIELDS, form, uploads(store, user=PAT)).errors["quote"][0])
    )


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("a\r\nb.txt", "text/plain"), ("../x.txt", "text/plain"), ("x.txt", "text/html")],
)
def test_the_ticket_refuses_a_file_reference_no_upload_could_have_made(name, content_type):
    ref = {"sha256": "a" * 64, "name": name, "size": 1, "content_type": content_type}
    clean, errors = validate_data([{"name": "quote", "type": "file"}], {"quote": ref})
    assert clean == {} and list(errors) == ["quote"]
