"""Where input enters the app: every URL parameter, form field, file name and JSON body is
checked once, as it is parsed, for every route, against the rule in `storable`.

A refusal names the field: 400 for the URL (path and query parameters), 422 for a body's
fields, 400 for JSON nested too deeply. Views never see refused input.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import IO, Any, TypeVar
from urllib.parse import parse_qsl

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Request
from werkzeug.datastructures import FileStorage, Headers, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser, MultiPartParser

from tf_events.text import unstorable
from tf_web import storable
from tf_web.storable import FieldErrors, printable_name

F = TypeVar("F", bound=Callable[..., Any])


class InputRefused(HTTPException):
    """Input refused where it entered, with messages by field or parameter name."""

    def __init__(self, errors: FieldErrors, code: int = 422) -> None:
        self.code = code
        self.errors = errors
        super().__init__(
            "The request has invalid fields." if code == 422 else "The request is malformed."
        )


def _refused(problem: storable.UnstorableInput) -> InputRefused:
    return InputRefused(problem.errors, problem.status)


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """JSON from a request (a body, or a JSON part of a form): ValueError when it is not
    JSON, InputRefused when the system could not keep it."""
    try:
        return storable.loads(data, **kwargs)
    except storable.UnstorableInput as problem:
        raise _refused(problem) from None


class CheckedJSONProvider(DefaultJSONProvider):
    """The app's JSON, which Flask hands every request to parse its body with. InputRefused
    is not a ValueError, so even `get_json(silent=True)` cannot turn a refusal into None."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)


def _check(errors: FieldErrors, name: str | None, value: str | None) -> None:
    name = name or ""  # a multipart part may come without a usable name
    if value and (why := unstorable(value)):
        errors.setdefault(printable_name(name), []).append(why)
    elif why := unstorable(name):
        errors.setdefault(printable_name(name), []).append(f"The name of this field: {why}")


def _form_errors(form: MultiDict[str, str], files: MultiDict[str, FileStorage]) -> FieldErrors:
    errors: FieldErrors = {}
    for name, value in form.items(multi=True):
        _check(errors, name, value)
    for name, upload in files.items(multi=True):
        _check(errors, name, upload.filename)
    return errors


def body_limit(max_bytes: int) -> Callable[[F], F]:
    """Let a view take bodies up to `max_bytes` (the app's limit is smaller). Known before
    the body is parsed, which may happen before the view runs (the CSRF check reads it)."""

    def mark(view: F) -> F:
        view.max_body_bytes = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


# Form bytes that are not UTF-8 become lone surrogates (U+DC80-U+DCFF), which the check of
# every field refuses by name, instead of werkzeug's silent U+FFFD (multipart) or "%FF"
# text (urlencoded): what a user sent is kept as sent or refused, never changed.
_KEEP_BAD_BYTES = "tf_utf_8_keeping_bad_bytes"


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name != _KEEP_BAD_BYTES:
        return None

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        # werkzeug asks for "replace"; surrogateescape keeps the bad bytes visible.
        return codecs.utf_8_decode(data, "surrogateescape", True)

    return codecs.CodecInfo(codecs.utf_8_encode, decode, name=_KEEP_BAD_BYTES)


codecs.register(_find_codec)


class _MultiPartParser(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        charset = super().get_part_charset(headers)
        return charset if charset == "iso-8859-1" else _KEEP_BAD_BYTES


class _FormDataParser(FormDataParser):
    def _parse_multipart(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> Any:
        parser = _MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files

    def _parse_urlencoded(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> Any:
        text = stream.read().decode("utf-8", "surrogateescape")
        items = parse_qsl(text, keep_blank_values=True, errors="surrogateescape")
        return stream, self.cls(items), self.cls()


class CheckedRequest(Request):
    form_data_parser_class = _FormDataParser

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        if current_app and self.url_rule is not None:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            limit = getattr(view, "max_body_bytes", None)
            if limit is not None:
                return int(limit)
        return super().max_content_length

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        errors = _form_errors(self.form, self.files)
        if errors:
            # Nothing refused may reach a view, even one that catches the error.
            self.form, self.files = ImmutableMultiDict(), ImmutableMultiDict()  # type: ignore[misc]
            raise InputRefused(errors)


def _refuse_unstorable_url_input() -> None:
    errors: FieldErrors = {}
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            _check(errors, name, value)
    for name, value in request.args.items(multi=True):
        _check(errors, name, value)
    if errors:
        raise InputRefused(errors, 400)


def init_app(app: Flask) -> None:
    app.request_class = CheckedRequest
    app.json = CheckedJSONProvider(app)
    app.before_request(_refuse_unstorable_url_input)


def whole_number(name: str, value: str | None, default: int, low: int, high: int) -> int:
    """A whole-number parameter from `low` to `high` (`default` when absent); InputRefused
    naming it otherwise (422: a form field or an API parameter, both named by `name`)."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    raise InputRefused({name: [f"Give a whole number from {low} to {high}."]})
