"""What the designer's version page calls a change: the one tree diff, with a field's
options as one value and a layout's source as a unified diff."""

from __future__ import annotations

from tf_web.design.diff import Change, changes


def test_a_list_of_options_changes_as_one_value():
    before = {"fields": [{"name": "size", "options": ["S", "M"]}]}
    after = {"fields": [{"name": "size", "options": ["S", "M", "L"]}]}
    assert changes(before, after) == [Change("fields.0.options", "S, M", "S, M, L")]


def test_a_layout_source_is_a_unified_diff_without_its_derived_hash_and_path():
    before = {"layouts": {"input": {"source": "a\nb\n", "sha256": "1", "path": "x"}}}
    after = {"layouts": {"input": {"source": "a\nc\n", "sha256": "2", "path": "y"}}}
    [change] = changes(before, after)
    assert change.path == "layouts.input.source"
    assert "-b" in change.source_diff and "+c" in change.source_diff


def test_a_first_version_is_every_value_added():
    assert changes(None, {"name": "Triage", "roles": []}) == [
        Change("name", None, "Triage"),
        Change("roles", None, "(none)"),
    ]
