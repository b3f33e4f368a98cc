"""Charts as small SVG documents drawn on the server: no script, no CDN, and they read in
an email too. Colours and fonts come from classes in style.css (the page's CSP allows no
inline style); each chart names itself with <title> and sits beside a table of its numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil, log10

from markupsafe import Markup, escape

from tf_web.queries.reports import Day

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 30  # room for the axes' labels


def nice_ceiling(value: float) -> float:
    """The axis' top: 1, 2, 4, 6 or 8 times a power of ten, at least `value` (even, so
    the middle line of a count is a whole number)."""
    if value <= 1:
        return 1
    power = 10 ** int(log10(value))
    return next(step * power for step in (1, 2, 4, 6, 8, 10) if step * power >= value)


def _svg(label: str, body: str, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    ident = "chart-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return Markup(  # noqa: S704 - every text inside went through escape()
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="{ident}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{ident}">{escape(label)}</title>{body}</svg>'
    )


def _y_axis(top: float, plot_height: float) -> str:
    lines = []
    for share in (0, 0.5, 1) if top > 1 else (0, 1):
        y = TOP + plot_height * (1 - share)
        value = top * share
        text = f"{value:g}" if value < 1000 else f"{value / 1000:g}k"
        lines.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{text}</text>'
        )
    return "".join(lines)


def _x_labels(days: Sequence[Day], step: float) -> str:
    every = max(1, ceil(len(days) / 4))  # at most about four dates under the axis
    return "".join(
        f'<text class="axis" x="{LEFT + step * (i + 0.5):.1f}" y="{HEIGHT - 8}"'
        f' text-anchor="middle">{day.day:%b %-d}</text>'
        for i, day in enumerate(days)
        if i % every == 0
    )


def daily_chart(days: Sequence[Day]) -> Markup:
    """Tickets created and closed per day, as pairs of bars."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((max(d.created, d.closed) for d in days), default=0))
    step = plot_w / max(len(days), 1)
    bar = max(step * 0.4, 0.5)
    bars = []
    for i, day in enumerate(days):
        for j, (kind, value) in enumerate((("created", day.created), ("closed", day.closed))):
            h = plot_h * value / top
            x = LEFT + step * i + step * 0.1 + bar * j
            bars.append(
                f'<rect class="bar-{kind}" x="{x:.1f}" y="{TOP + plot_h - h:.1f}"'
                f' width="{bar:.1f}" height="{h:.1f}"/>'
            )
    return _svg(
        "Tickets created and closed per day",
        _y_axis(top, plot_h) + "".join(bars) + _x_labels(days, step),
    )


def backlog_chart(days: Sequence[Day]) -> Markup:
    """Open tickets at the end of each day, as a line over a shaded area."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((d.backlog for d in days), default=0))
    step = plot_w / max(len(days), 1)
    points = [
        (LEFT + step * (i + 0.5), TOP + plot_h * (1 - max(d.backlog, 0) / top))
        for i, d in enumerate(days)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    area = ""
    if points:
        base = TOP + plot_h
        area = (
            f'<polygon class="area" points="{points[0][0]:.1f},{base} {line}'
            f' {points[-1][0]:.1f},{base}"/>'
        )
    return _svg(
        "Open tickets at the end of each day",
        _y_axis(top, plot_h)
        + area
        + f'<polyline class="line" points="{line}"/>'
        + _x_labels(days, step),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the table says it


def bar_chart(title: str, bars: Sequence[Bar], fmt: Callable[[float], str] = str) -> Markup:
    """Horizontal bars, one per row of the table beside it."""
    row, label_w, value_w = 30, 130, 80
    height = TOP + row * max(len(bars), 1) + 4
    top = max((b.value for b in bars), default=0) or 1
    plot_w = WIDTH - label_w - value_w
    parts = []
    for i, b in enumerate(bars):
        y = TOP + row * i
        w = plot_w * b.value / top
        label = b.label if len(b.label) <= 16 else b.label[:15] + "…"
        parts.append(
            f'<text class="axis" x="{label_w - 8}" y="{y + 19}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="bar-created" x="{label_w}" y="{y + 5}" width="{max(w, 1):.1f}"'
            f' height="{row - 10}"/>'
            f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 19}">{escape(b.text)}</text>'
        )
    if not bars:
        parts.append(f'<text class="value" x="0" y="{TOP + 16}">Nothing in this range.</text>')
    return _svg(title, "".join(parts), height=height)
