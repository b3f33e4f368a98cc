from datetime import UTC, datetime

from tf_web.template_filters import time_tag

WHEN = datetime(2026, 12, 1, 5, 7, 9, tzinfo=UTC)
MOMENT = 'datetime="2026-12-01T05:07:09+00:00"'  # local-time.js localises only a moment


def test_a_time_reads_in_utc_to_the_minute_with_its_moment_for_the_browser():
    assert time_tag(WHEN) == f"<time {MOMENT}>2026-12-01 05:07</time>"


def test_a_time_may_read_as_a_date_or_to_the_second_and_say_utc():
    assert time_tag(WHEN, "date") == f"<time {MOMENT}>2026-12-01</time>"
    assert time_tag(WHEN, "second", utc=True) == f"<time {MOMENT}>2026-12-01 05:07:09 UTC</time>"
