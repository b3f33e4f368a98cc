"""After signing in, `next` may lead only to a path on this site, however it is written."""

from __future__ import annotations

import pytest

from tf_web.redirects import same_site_path


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/tickets/mine",
        "/tickets/all?status=OPEN&sort=-updated#top",
        "/design/tasks/new",
        "/search?q=a//b",
        "/tickets?q=%2Fpath",
    ],
)
def test_paths_on_this_site_are_kept(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "",
        "https://evil.example/",
        "http:evil.example",
        "//evil.example",
        "///evil.example",
        "/\t/evil.example",  # the reported one: werkzeug and browsers drop the tab
        "/\n/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        " //evil.example",
        "\x00//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/%09/evil.example",  # double-encoded in the link: decoded once more downstream
        "/%5Cevil.example",
        "/%2F/evil.example",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "tickets/mine",  # relative: resolved against /login it is harmless, but not a path
        "/tickets\x7f",
    ],
)
def test_anything_that_could_leave_the_site_is_refused(target):
    assert same_site_path(target) is None


def test_what_a_browser_would_drop_is_dropped_from_a_path_that_stays():
    assert same_site_path("/tickets/\tmine\n") == "/tickets/mine"
