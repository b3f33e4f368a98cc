"""Walking the app's routes for the HTTP tests: every write route of the OpenAPI document and
every form of the URL map, each filled with a value to try, so a new route is covered the
moment it exists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

WRITE_METHODS = ("post", "put", "patch", "delete")


def document(call: Any) -> dict[str, Any]:
    """The OpenAPI document, each operation carrying its path's parameters too (an
    operation's own parameter of the same name wins, as OpenAPI says)."""
    spec = call("GET", "/openapi.json").json()
    for ops in spec["paths"].values():
        shared = ops.pop("parameters", [])
        for op in ops.values():
            own = {(p["name"], p["in"]) for p in op.get("parameters", [])}
            op["parameters"] = [
                *(p for p in shared if (p["name"], p["in"]) not in own),
                *op.get("parameters", []),
            ]
    return spec


def string_leaves(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict | list):
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in pairs:
            yield from string_leaves(child, f"{path}.{key}" if path else str(key))


def replaced(value: Any, path: str, new: Any) -> Any:
    """A copy of `value` with what sits at dotted `path` replaced by `new` (or, when `new`
    is a function, by what it makes of the old value)."""
    value = json.loads(json.dumps(value))
    *parents, last = path.split(".")
    target = value
    for part in parents:
        target = target[int(part) if isinstance(target, list) else part]
    key = int(last) if isinstance(target, list) else last
    target[key] = new(target[key]) if callable(new) else new
    return value


def poisoned(value: Any, path: str, char: str) -> Any:
    """`value` with the string at dotted `path` holding `char`."""
    return replaced(value, path, lambda old: f"a{char}{old}")


def fill(path: str, op: dict[str, Any], world: dict[str, Any], poison: str | None = None) -> str:
    path = path.removeprefix("/api/v1")  # the document's paths are whole; calls add it
    for param in op.get("parameters", []):
        if param.get("in") != "path":
            continue
        schema = param.get("schema", {})
        if schema.get("format") == "uuid":
            value = world["ticket_id"]
        elif poison is not None and param["name"] == poison:
            continue
        elif schema.get("type") == "integer":
            value = "1"  # a task's number
        else:
            value = schema.get("enum", ["triage"])[0]
        path = path.replace(f"{{{param['name']}}}", value)
    return path


def page_routes(system) -> Iterator[tuple[str, frozenset[str], list[str]]]:
    """(rule, methods, its string parameters) for every route outside the API."""
    from tf_web import create_app

    for rule in create_app(system).url_map.iter_rules():
        if rule.rule.startswith(("/api/", "/static/")):
            continue
        strings = [
            name
            for name, converter in rule._converters.items()
            if type(converter).__name__ == "UnicodeConverter"
        ]
        yield rule.rule, frozenset(rule.methods - {"HEAD", "OPTIONS"}), strings


def page_url(rule: str, world: dict[str, Any], poison: tuple[str, str] | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if poison and name == poison[0]:
            return quote(f"a{poison[1]}")
        if converter == "uuid":
            return world["ticket_id"]
        if converter == "int":
            return "1"
        key = "everything" if rule.startswith("/tickets/") else "triage"
        return {"slug": "tasks", "key": key}.get(name, "x")

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule)


def form_names(html: str) -> list[str]:
    names = re.findall(r'<(?:input|textarea|select)[^>]*\sname="([^"]+)"', html)
    return sorted(set(names) - {"csrf_token"})
